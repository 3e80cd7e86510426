import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {t} from '../../src/laptops/messages/index.js'
import {htmlReport} from '../../src/laptops/report.js'

export class LaptopsReport extends BaseCommand<typeof LaptopsReport> {
  static override readOnly = true
  static override summary =
    'Write a standalone HTML page for managers (French, inline charts): throughput per week, ready stock, time per stage, quotas'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops report --html --out rapport-portables.html']
  static override flags = {
    html: Flags.boolean({description: 'HTML page (the only format for now)', default: true}),
    out: Flags.string({description: 'Output file', default: 'rapport-portables.html'}),
    weeks: integer({description: 'How many ISO weeks of throughput, up to this one', min: 1, max: 520, default: 12}),
  }

  public async run() {
    const r = await htmlReport(await this.context(), {
      out: this.flags.out,
      organisation: this.appConfig.organisation,
      weeks: this.flags.weeks,
    })
    this.print(t('report', {file: r.file, n: r.total}))
    return {file: r.file, total: r.total}
  }
}
