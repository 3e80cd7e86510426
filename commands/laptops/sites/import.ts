import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {importSummary} from '../../../src/laptops/format.js'
import {importSites} from '../../../src/laptops/intake.js'

export class LaptopsSitesImport extends BaseCommand<typeof LaptopsSitesImport> {
  static override summary = 'Import the digital inclusion sites and their conventions from a CSV file (upsert by code)'
  static override description = `Columns: code, name, commune, convention reference, signature date, end date, quota, contact.
Dates as dd/mm/yyyy or yyyy-mm-dd.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops sites import conventions.csv']
  static override args = {file: Args.string({description: 'CSV file, or - for standard input', required: true})}
  static override flags = {
    rejects: Flags.string({description: 'Where to write the rejected rows (default: next to the file)'}),
    'dry-run': Flags.boolean({description: 'Validate only'}),
  }

  public async run() {
    const r = await importSites(await this.context(), {file: this.args.file, rejectsPath: this.flags.rejects, dryRun: this.flags['dry-run']})
    this.print(importSummary(r, 'whatSites'))
    return r
  }
}
