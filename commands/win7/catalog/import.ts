import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {importArgs, importFlags} from '../../../src/cli/import-flags.js'
import {importCatalog} from '../../../src/win7/catalog.js'
import {importSummary} from '../../../src/win7/format.js'

export class Win7CatalogImport extends BaseCommand<typeof Win7CatalogImport> {
  static override summary = 'Import the LAFI catalogue (reference, category, label, price, availability; upsert by reference)'
  static override description = `Headers: Référence, Catégorie (Unité centrale, Écran, Ordinateur portable, Tablette...),
Désignation, Prix HT (1 234,56), Disponibilité (Disponible, Rupture, a stock count).

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> win7 catalog import catalogue-lafi.csv']
  static override args = importArgs
  static override flags = importFlags

  public async run() {
    return this.summarised(
      importCatalog(await this.context(), {
        source: this.args.file,
        rejectsPath: this.flags.rejects,
        repairEncoding: this.flags['repair-encoding'],
        dryRun: this.flags['dry-run'],
      }),
      importSummary,
    )
  }
}
