import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {formatTable} from '../../src/cli/table.js'
import {stateName, t, th} from '../../src/laptops/messages.js'
import {laptopStatus} from '../../src/laptops/status.js'

export class LaptopsStatus extends BaseCommand<typeof LaptopsStatus> {
  static override readOnly = true
  static override summary = 'Counts of laptops by state, site, model, and per day'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops status', '<%= config.bin %> laptops status --json --days 30']
  static override flags = {days: integer({description: 'Per-day counts for the last N days only', min: 1, max: 36_500})}

  public async run() {
    const s = await laptopStatus(await this.context(), {days: this.flags.days})
    this.print(t('statusTotal', {n: s.total}))
    this.print(formatTable(Object.entries(s.byState).map(([state, n]) => ({state: stateName(state), n})), [{key: 'state', header: th('state')}, {key: 'n', header: th('count')}]))
    if (s.bySite.length > 0) this.print('\n' + formatTable(s.bySite, [{key: 'site', header: th('site')}, {key: 'quota', header: th('quota')}, {key: 'allocated', header: th('allocated')}, {key: 'handed_over', header: th('handedOver')}, {key: 'remaining', header: th('left')}, {key: 'convention_end', header: th('conventionEnds')}]))
    if (s.byModel.length > 0) this.print('\n' + formatTable(s.byModel, [{key: 'maker', header: th('maker')}, {key: 'model', header: th('model')}, {key: 'total', header: th('total')}, {key: 'ready', header: th('ready')}, {key: 'handed_over', header: th('handedOver')}]))
    if (s.perDay.length > 0) this.print('\n' + formatTable(s.perDay.map((d) => ({day: d.day, counts: Object.entries(d.counts).map(([k, v]) => `${stateName(k)}=${v}`).join(' ')})), [{key: 'day', header: th('day')}, {key: 'counts', header: th('enteredState')}]))
    return s
  }
}
