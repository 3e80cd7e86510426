import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {importArgs, importFlags} from '../../../src/cli/import-flags.js'
import {importSummary} from '../../../src/laptops/format.js'
import {importSites} from '../../../src/laptops/intake.js'

export class LaptopsSitesImport extends BaseCommand<typeof LaptopsSitesImport> {
  static override summary = 'Import the digital inclusion sites and their conventions from a CSV file (upsert by code)'
  static override description = `Columns: code, name, commune, convention reference, signature date, end date, quota, contact.
Dates as dd/mm/yyyy or yyyy-mm-dd.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops sites import conventions.csv']
  static override args = importArgs
  static override flags = importFlags

  public async run() {
    return this.summarised(
      importSites(await this.context(), {
        file: this.args.file,
        rejectsPath: this.flags.rejects,
        repairEncoding: this.flags['repair-encoding'],
        dryRun: this.flags['dry-run'],
      }),
      (r) => importSummary(r, 'whatSites'),
    )
  }
}
