import {EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {ImportCommand} from '../../../src/cli/import-command.js'
import type {ServiceContext} from '../../../src/context/service-context.js'
import type {ImportFileOptions} from '../../../src/csv/index.js'
import {importCatalog} from '../../../src/win7/catalog.js'

export class Win7CatalogImport extends ImportCommand<typeof Win7CatalogImport> {
  static override summary = 'Import the LAFI catalogue (reference, category, label, price, availability; upsert by reference)'
  static override description = `Headers: Référence, Catégorie (Unité centrale, Écran, Ordinateur portable, Tablette...),
Désignation, Prix HT (1 234,56), Disponibilité (Disponible, Rupture, a stock count).

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> win7 catalog import catalogue-lafi.csv']

  protected importFile(ctx: ServiceContext, options: ImportFileOptions) {
    return importCatalog(ctx, options)
  }
}
