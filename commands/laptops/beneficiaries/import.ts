import {EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {ImportCommand} from '../../../src/cli/import-command.js'
import type {ServiceContext} from '../../../src/context/service-context.js'
import type {ImportFileOptions, ImportResult} from '../../../src/csv/index.js'
import {importSummary} from '../../../src/laptops/format.js'
import {importBeneficiaries} from '../../../src/laptops/intake.js'

export class LaptopsBeneficiariesImport extends ImportCommand<typeof LaptopsBeneficiariesImport> {
  static override summary = 'Import beneficiaries from a site (reference, name, commune, training path, site; nothing more)'
  static override description = `Columns: reference, name, commune, training path reference, training start date, site code.
The site must exist (alpi laptops sites import).

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops beneficiaries import smalah-2026-11.csv']

  protected importFile(ctx: ServiceContext, options: ImportFileOptions) {
    return importBeneficiaries(ctx, options)
  }

  protected override view(r: ImportResult): string {
    return importSummary(r, 'whatBeneficiaries')
  }
}
