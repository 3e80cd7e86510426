import {EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {ImportCommand} from '../../../src/cli/import-command.js'
import type {ServiceContext} from '../../../src/context/service-context.js'
import type {ImportFileOptions, ImportResult} from '../../../src/csv/index.js'
import {importSummary} from '../../../src/laptops/format.js'
import {importSites} from '../../../src/laptops/intake.js'

export class LaptopsSitesImport extends ImportCommand<typeof LaptopsSitesImport> {
  static override summary = 'Import the digital inclusion sites and their conventions from a CSV file (upsert by code)'
  static override description = `Columns: code, name, commune, convention reference, signature date, end date, quota, contact.
Dates as dd/mm/yyyy or yyyy-mm-dd.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops sites import conventions.csv']

  protected importFile(ctx: ServiceContext, options: ImportFileOptions) {
    return importSites(ctx, options)
  }

  protected override view(r: ImportResult): string {
    return importSummary(r, 'whatSites')
  }
}
