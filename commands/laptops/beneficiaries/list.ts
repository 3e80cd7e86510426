import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {beneficiariesListView} from '../../../src/laptops/format.js'
import {listBeneficiaries} from '../../../src/laptops/list.js'
import {ws} from '../../../src/laptops/messages/index.js'

export class LaptopsBeneficiariesList extends BaseCommand<typeof LaptopsBeneficiariesList> {
  static override readOnly = true
  static override summary =
    'List the beneficiaries: references, site, training path, laptop held (names on a terminal or in a 0600 file only)'
  static override description = `Names are personal data: they are shown on a terminal, or written with --output to a CSV
file of mode 0600. Piped or redirected output, and --json on stdout, carry references only.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops beneficiaries list --site SMALAH',
    '<%= config.bin %> laptops beneficiaries list --output beneficiaires.csv',
  ]
  static override flags = {
    site: Flags.string({description: 'Only this site'}),
    output: Flags.string({char: 'o', description: 'Write a CSV with the names to this file (mode 0600)'}),
  }

  public async run() {
    const withNames = Boolean(this.flags.output) || (process.stdout.isTTY === true && !this.jsonEnabled())
    const rows = await listBeneficiaries(await this.context(), {site: this.flags.site, withNames})
    if (this.flags.output) {
      const {writeCsv} = await import('../../../src/csv/write.js')
      await writeCsv(this.flags.output, rows, {
        columns: ['ref', 'name', 'commune', 'site_code', 'training_ref', 'training_start', 'laptop'],
        delimiter: ';',
        mode: 0o600,
      })
      this.out.info(ws('written', {file: this.flags.output, n: rows.length}))
      return rows.map(({name: _name, ...r}) => r)
    }
    if (!withNames) this.out.info(ws('beneficiariesRefsOnly'))
    this.print(beneficiariesListView(rows, withNames))
    return rows
  }
}
