import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {complianceView} from '../../src/firewalls/format.js'
import {writeFileAtomic} from '../../src/core/fs.js'
import {t} from '../../src/firewalls/messages/index.js'
import {COMPLIANCE_CSV_COLUMNS, complianceHtml, complianceReport, complianceRows} from '../../src/firewalls/reports.js'

export class FirewallsCompliance extends BaseCommand<typeof FirewallsCompliance> {
  static override readOnly = true
  static override summary = 'Filtering compliance per competent authority: schools, equipped, verified and passing, overdue'
  static override description = `The table by default; --html a French page for an elected official; --csv one row per school (; separated).
"Verified" = the last verification from the LAN (\`verify --from-lan\`) passed within firewalls.verifyEveryDays
(default 90) and tested every list category the school's policy requires; a management-side verification alone
never counts. Otherwise "overdue", with the reason (never-tested, categories-not-tested, stale); "failing" when the
last verification of either side failed.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> firewalls compliance',
    '<%= config.bin %> firewalls compliance --html --output conformite.html',
    '<%= config.bin %> firewalls compliance --csv > conformite.csv',
  ]
  static override flags = {
    html: Flags.boolean({description: 'French HTML page', exclusive: ['csv']}),
    csv: Flags.boolean({description: 'CSV, one row per school', exclusive: ['html']}),
    output: Flags.string({char: 'o', description: 'Write to this file instead of stdout'}),
  }

  public async run() {
    const ctx = await this.context()
    const r = await complianceReport(ctx)
    if (this.flags.csv) {
      const {writeCsv} = await import('../../src/csv/write.js')
      const target = this.flags.output ?? (this.jsonEnabled() ? undefined : process.stdout)
      if (target) await writeCsv(target, complianceRows(r), {columns: COMPLIANCE_CSV_COLUMNS, delimiter: ';'})
      if (this.flags.output) this.out.info(t('written', {path: this.flags.output}))
      return r
    }
    const text = this.flags.html ? complianceHtml(ctx, r) : complianceView(r)
    if (this.flags.output) {
      writeFileAtomic(this.flags.output, text)
      this.out.info(t('written', {path: this.flags.output}))
    } else this.print(text)
    return r
  }
}
