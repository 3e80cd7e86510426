import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {importSummary} from '../../../src/laptops/format.js'
import {importBeneficiaries} from '../../../src/laptops/intake.js'

export class LaptopsBeneficiariesImport extends BaseCommand<typeof LaptopsBeneficiariesImport> {
  static override summary = 'Import beneficiaries from a site (reference, name, commune, training path, site; nothing more)'
  static override description = `Columns: reference, name, commune, training path reference, training start date, site code.
The site must exist (alpi laptops sites import).

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops beneficiaries import smalah-2026-11.csv']
  static override args = {file: Args.string({description: 'CSV file, or - for standard input', required: true})}
  static override flags = {
    rejects: Flags.string({description: 'Where to write the rejected rows (default: next to the file)'}),
    'dry-run': Flags.boolean({description: 'Validate only'}),
  }

  public async run() {
    const r = await importBeneficiaries(await this.context(), {file: this.args.file, rejectsPath: this.flags.rejects, dryRun: this.flags['dry-run']})
    this.print(importSummary(r, 'whatBeneficiaries'))
    return r
  }
}
