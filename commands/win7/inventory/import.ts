import {EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {ImportCommand} from '../../../src/cli/import-command.js'
import type {ServiceContext} from '../../../src/context/service-context.js'
import type {ImportFileOptions} from '../../../src/csv/index.js'
import {importInventory} from '../../../src/win7/inventory.js'

export class Win7InventoryImport extends ImportCommand<typeof Win7InventoryImport> {
  static override summary = 'Import the PC fleet from a GLPI computer export or an OCS Inventory export (upsert by serial)'
  static override description = `GLPI's French headers (Nom, Entité, Statut, Fabricant, Modèle, Type, Numéro de série,
Système d'exploitation - Nom/Version, Lieu, Usager, Processeur, Mémoire, Disque dur, TPM, Firmware,
Secure Boot) or OCS column names (NAME, TAG, SSN, OSNAME, PROCESSORT, MEMORY...). Members come from
the entity, sites from the location. Empty cells stay unknown. A re-import updates the facts and
keeps each PC's pipeline state. Bad rows go to the rejects file with their line number.
Sizes: a bare number is MiB, as GLPI ("Mémoire (Mio)") and OCS (MEMORY, DISKSIZE) write it;
GLPI's "7.75 Gio" or "238.47 Gio" are converted. A memory outside 256 MB-2 TB or a disk outside
16 GB-64 TB (a unit mistake, e.g. a unitless "256" of disk) is kept, warned with its row, and
its Windows 11 check says "unknown" until the inventory is fixed.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> win7 inventory import glpi-ordinateurs.csv',
    '<%= config.bin %> win7 inventory import ocs.csv --json',
  ]

  protected importFile(ctx: ServiceContext, options: ImportFileOptions) {
    return importInventory(ctx, options)
  }
}
