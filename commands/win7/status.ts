import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {formatTable} from '../../src/cli/table.js'
import {stateText, STATES} from '../../src/win7/states.js'
import {pipelineStatus} from '../../src/win7/status.js'
import {t} from '../../src/win7/messages/index.js'

export class Win7Status extends BaseCommand<typeof Win7Status> {
  static override readOnly = true
  static override summary = 'The replacement pipeline: PCs per state and member (per site with --member), and PCs stuck in a state'
  static override description = EXIT_CODES_HELP
  static override examples = [
    '<%= config.bin %> win7 status',
    '<%= config.bin %> win7 status --member mairie-de-pissos --stuck-days 7 --json',
  ]
  static override flags = {
    member: Flags.string({description: 'Only this member (adds a line per site)'}),
    'stuck-days': integer({description: 'Stuck: in a non-final state for more than this many days', default: 14, min: 0, max: 36_500}),
  }

  public async run() {
    const r = await pipelineStatus(await this.context(), {member: this.flags.member, stuckDays: this.flags['stuck-days']})
    const used = STATES.filter((s) => (r.total[s] ?? 0) > 0)
    const cols = used.map((s) => ({key: s, header: stateText(s).toUpperCase()}))
    this.print(
      formatTable([...r.members, {member: t('h.total'), ...r.total}] as Record<string, unknown>[], [
        {key: 'member', header: t('h.member')},
        ...cols,
        {key: 'total', header: t('h.total')},
      ]),
    )
    if (this.flags.member)
      this.print(
        '\n' +
          formatTable(r.sites as unknown as Record<string, unknown>[], [
            {key: 'name', header: t('h.site')},
            ...cols,
            {key: 'total', header: t('h.total')},
          ]),
      )
    this.print(
      r.stuck.length === 0
        ? `\n${t('out.noStuck', {days: r.stuckDays})}`
        : '\n' +
            formatTable(
              r.stuck.map((p) => ({...p, state: stateText(p.state)})),
              [
                {key: 'serial', header: t('h.stuckPc')},
                {key: 'member', header: t('h.member')},
                {key: 'state', header: t('h.state')},
                {key: 'days', header: t('h.days')},
              ],
            ),
    )
    return r
  }
}
