import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {importSummary} from '../../src/laptops/format.js'
import {importLaptops} from '../../src/laptops/intake.js'

export class LaptopsImport extends BaseCommand<typeof LaptopsImport> {
  static override summary = 'Record a batch of received laptops from a CSV file (upsert by serial)'
  static override description = `Columns: serial (required), asset tag, maker, model, lot, notes; French or English headers.
Placeholder serials ("Default string", "To be filled by O.E.M.", "System Serial Number", "0123456789", empty)
are rejected into the rejects file; the other rows are kept. A re-run changes nothing.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops import lot-2026-11.csv', '<%= config.bin %> laptops import - --json < lot.csv']
  static override args = {file: Args.string({description: 'CSV file, or - for standard input', required: true})}
  static override flags = {
    rejects: Flags.string({description: 'Where to write the rejected rows (default: next to the file)'}),
    'dry-run': Flags.boolean({description: 'Validate and write the rejects file, change nothing'}),
  }

  public async run() {
    const ctx = await this.context()
    const r = await importLaptops(ctx, {file: this.args.file, rejectsPath: this.flags.rejects, dryRun: this.flags['dry-run']})
    this.print(importSummary(r, 'whatLaptops'))
    return r
  }
}
