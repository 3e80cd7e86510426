import {Flags} from '@oclif/core'
import {EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {ImportCommand} from '../../src/cli/import-command.js'
import {importFlags} from '../../src/cli/import-flags.js'
import type {ServiceContext} from '../../src/context/service-context.js'
import type {ImportFileOptions, ImportResult} from '../../src/csv/index.js'
import {importSummary} from '../../src/laptops/format.js'
import {importLaptops} from '../../src/laptops/intake.js'

export class LaptopsImport extends ImportCommand<typeof LaptopsImport> {
  static override summary = 'Record a batch of received laptops from a CSV file (upsert by serial)'
  static override description = `Columns: serial (required), asset tag, maker, model, lot, notes; French or English headers.
Placeholder serials ("Default string", "To be filled by O.E.M.", "System Serial Number", "0123456789", empty)
are rejected into the rejects file; the other rows are kept. A re-run changes nothing.

--glpi: the file is a GLPI computers export (the format \`win7 inventory import\` reads): serial,
maker, model, and the GLPI name as asset tag; --lot gives the lot of all its rows.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops import lot-2026-11.csv',
    '<%= config.bin %> laptops import - --json < lot.csv',
    '<%= config.bin %> laptops import export-glpi.csv --glpi --lot LOT-2026-03',
  ]
  static override flags = {
    ...importFlags,
    glpi: Flags.boolean({description: 'The file is a GLPI computers export (as win7 inventory import reads)'}),
    lot: Flags.string({description: 'With --glpi: the lot of every row', dependsOn: ['glpi']}),
  }

  protected importFile(ctx: ServiceContext, options: ImportFileOptions) {
    return importLaptops(ctx, {...options, glpi: this.flags.glpi, lot: this.flags.lot})
  }

  protected override view(r: ImportResult): string {
    return importSummary(r, 'whatLaptops')
  }
}
