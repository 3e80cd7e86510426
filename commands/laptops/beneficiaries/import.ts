import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {importArgs, importFlags} from '../../../src/cli/import-flags.js'
import {importSummary} from '../../../src/laptops/format.js'
import {importBeneficiaries} from '../../../src/laptops/intake.js'

export class LaptopsBeneficiariesImport extends BaseCommand<typeof LaptopsBeneficiariesImport> {
  static override summary = 'Import beneficiaries from a site (reference, name, commune, training path, site; nothing more)'
  static override description = `Columns: reference, name, commune, training path reference, training start date, site code.
The site must exist (alpi laptops sites import).

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops beneficiaries import smalah-2026-11.csv']
  static override args = importArgs
  static override flags = importFlags

  public async run() {
    return this.summarised(
      importBeneficiaries(await this.context(), {
        file: this.args.file,
        rejectsPath: this.flags.rejects,
        repairEncoding: this.flags['repair-encoding'],
        dryRun: this.flags['dry-run'],
      }),
      (r) => importSummary(r, 'whatBeneficiaries'),
    )
  }
}
