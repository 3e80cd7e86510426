import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {t} from '../../src/laptops/messages.js'
import {htmlReport} from '../../src/laptops/report.js'

export class LaptopsReport extends BaseCommand<typeof LaptopsReport> {
  static override readOnly = true
  static override summary = 'Write a standalone HTML page (French, inline charts) on the programme for managers'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops report --html --out rapport-portables.html']
  static override flags = {
    html: Flags.boolean({description: 'HTML page (the only format for now)', default: true}),
    out: Flags.string({description: 'Output file', default: 'rapport-portables.html'}),
  }

  public async run() {
    const r = await htmlReport(await this.context(), {out: this.flags.out, organisation: this.appConfig.organisation})
    this.print(t('report', {file: r.file, n: r.total}))
    return {file: r.file, total: r.total}
  }
}
