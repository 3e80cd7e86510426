import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {importArgs, importFlags} from '../../src/cli/import-flags.js'
import {importSummary} from '../../src/laptops/format.js'
import {importLaptops} from '../../src/laptops/intake.js'

export class LaptopsImport extends BaseCommand<typeof LaptopsImport> {
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
  static override args = importArgs
  static override flags = {
    ...importFlags,
    glpi: Flags.boolean({description: 'The file is a GLPI computers export (as win7 inventory import reads)'}),
    lot: Flags.string({description: 'With --glpi: the lot of every row', dependsOn: ['glpi']}),
  }

  public async run() {
    const ctx = await this.context()
    return this.summarised(
      importLaptops(ctx, {
        file: this.args.file,
        rejectsPath: this.flags.rejects,
        repairEncoding: this.flags['repair-encoding'],
        dryRun: this.flags['dry-run'],
        glpi: this.flags.glpi,
        lot: this.flags.lot,
      }),
      (r) => importSummary(r, 'whatLaptops'),
    )
  }
}
