import {z} from 'zod'
import {text} from './fields.js'
import {t} from './messages/index.js'

/**
 * The fleet as GLPI or OCS Inventory export it (read by win7 inventory import and by the laptops
 * intake's --glpi seed: a known source format of the CSV layer). Canonical field names; the header aliases
 * are GLPI's search-export headers (French and English) and OCS's column names (header
 * matching folds case, accents and punctuation in the CSV pipeline). Empty cells are unknown
 * facts. The units of the size columns: see "Units of the size columns" below.
 */
export const INVENTORY_COLUMNS = {
  serial: {required: true, aliases: ['Numéro de série', 'Numero de serie', 'N° de série', 'Serial number', 'SSN', 'SERIAL']},
  entity: {required: true, aliases: ['Entité', 'Entity', 'TAG', 'Collectivité', 'Adhérent']},
  name: {aliases: ['Nom', 'Name', 'NAME', 'Nom du poste']},
  status: {aliases: ['Statut', 'Status']},
  maker: {aliases: ['Fabricant', 'Manufacturer', 'SMANUFACTURER', 'Constructeur']},
  model: {aliases: ['Modèle', 'Model', 'SMODEL']},
  type: {aliases: ['Type', "Type d'ordinateur", 'Computer type', 'TYPE', 'CHASSIS', 'Type de châssis']},
  os_name: {aliases: ["Système d'exploitation - Nom", "Système d'exploitation", 'Operating system - Name', 'OSNAME', 'OS']},
  os_version: {aliases: ["Système d'exploitation - Version", 'Operating system - Version', 'OSVERSION']},
  location: {aliases: ['Lieu', 'Location', 'Site']},
  user: {aliases: ['Usager', 'Utilisateur', 'User', 'USERID', 'Login']},
  cpu: {aliases: ['Processeur', 'Composants - Processeur', 'Processor', 'Components - Processor', 'PROCESSORT', 'CPU']},
  ram: {aliases: ['Mémoire', 'Composants - Mémoire', 'Mémoire (Mio)', 'Memory', 'Components - Memory', 'MEMORY', 'RAM']},
  disk: {
    aliases: [
      'Disque',
      'Disque dur',
      'Composants - Disque dur',
      'Disque dur : Capacité par défaut',
      'Hard drive',
      'Components - Hard drive',
      'Hard drive: Capacity by default',
      'DISKSIZE',
      'Stockage',
    ],
  },
  tpm: {aliases: ['TPM', 'Version TPM', 'Puce TPM', 'TPM version']},
  firmware: {aliases: ['Firmware', 'Micrologiciel', 'Mode de démarrage', 'Boot mode', 'BIOS mode', 'BIOSTYPE']},
  secure_boot: {aliases: ['Secure Boot', 'Démarrage sécurisé', 'SecureBoot']},
} as const

/** A cell parsed further (sizes, TPM, firmware...): trimmed, blank → undefined. */
const optCell = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))

/** A fact stored as written (name, maker, OS, user...): one line, at most 200 characters. */
const optText = optCell.pipe(text().optional())

/*
 * Units of the size columns, per known source format, as each tool writes its export. The
 * store keeps sizes in MiB ("mb" columns); a cell with a unit is converted (k, M, G, T with
 * o/io/B/iB, all binary: GLPI and OCS count in 1024s); a bare number is MiB in both formats.
 * - GLPI (Computer search, CSV export): "Mémoire" (search option 111, the sum of the memory
 *   modules) and "Disque dur : Capacité par défaut" (option 115, the sum of the drives) are
 *   stored in MiB and written with GLPI's automatic unit ("8 Gio", "238.47 Gio", "512 Mio",
 *   "1.82 Tio"); older GLPI versions wrote bare MiB under "Mémoire (Mio)".
 * - OCS Inventory (hardware, bios, accountinfo and storages tables as exported): MEMORY
 *   (hardware) and DISKSIZE (storages) are integers in MB, that is MiB: the agents divide
 *   the byte counts by 1024².
 * A bare "256" in a disk column is therefore 256 MiB: out of PLAUSIBLE_MB, so a warning
 * with its row at import, and "unknown" for the readiness check that depends on it.
 * (Also in src/win7/README.md, "Units of the inventories".)
 */

/**
 * Plausible sizes of a PC's memory (256 MB to 2 TB, binary as memory is counted) and disk
 * (16 GB to 64 TB, decimal as disks are sold), in MiB. Outside: a unit mistake, never a fact.
 */
export const PLAUSIBLE_MB = {
  ram: {min: 256, max: 2 * 1024 * 1024},
  disk: {min: Math.floor(16e9 / 2 ** 20), max: Math.ceil(64e12 / 2 ** 20)},
} as const

/** 'low' or 'high' when a size (MiB) is outside PLAUSIBLE_MB, else null. */
export function implausibleSize(what: 'ram' | 'disk', mb: number): 'low' | 'high' | null {
  const range = PLAUSIBLE_MB[what]
  return mb < range.min ? 'low' : mb > range.max ? 'high' : null
}

/** "8 Go", "8192", "8192 Mio", "8 GB", "7,9 Go", "238.47 Gio" → MiB. Bare numbers are in `bareUnit`. */
export function parseSizeMb(text: string, bareUnit: 'MB' | 'GB'): number | null {
  const m = /^\s*(\d+(?:[.,]\d+)?)\s*(k|m|g|t)?(?:i?o|i?b|io)?\s*$/i.exec(text.replace(/[\u00a0\u202f ](?=\d{3}\b)/g, ''))
  if (!m) return null
  const n = Number.parseFloat(m[1]!.replace(',', '.'))
  const unit = (m[2] ?? (bareUnit === 'GB' ? 'g' : 'm')).toLowerCase()
  const factor = unit === 'k' ? 1 / 1024 : unit === 'm' ? 1 : unit === 'g' ? 1024 : 1024 * 1024
  return Math.round(n * factor)
}

/** GLPI lists several memory or disk components as "4096<br>4096" or "4096, 4096": sum them. */
function sizeField(bareUnit: 'MB' | 'GB', what: string) {
  return optCell.transform((v, ctx) => {
    if (v === undefined) return undefined
    const parts = v.split(/<br\s*\/?>|\s*[;+]\s*|\s*,\s+(?=\d)|\n/i).filter((p) => p.trim() !== '')
    let total = 0
    for (const p of parts) {
      const mb = parseSizeMb(p, bareUnit)
      if (mb === null) {
        ctx.addIssue({code: 'custom', message: t('notSize', {what, value: v})})
        return z.NEVER
      }
      total += mb
    }
    return total
  })
}

const TPM = optCell.transform((v, ctx) => {
  if (v === undefined) return undefined
  const s = v.toLowerCase()
  if (/^(non|no|absent|aucun|none|0|false|désactivé|disabled)$/.test(s)) return 'none'
  const m = /(\d)\s*[.,]\s*(\d)/.exec(s)
  if (m && (m[1] === '2' || m[1] === '1')) return m[1] === '2' ? '2.0' : '1.2'
  if (/^2$/.test(s)) return '2.0'
  ctx.addIssue({code: 'custom', message: t('notTpm', {value: v})})
  return z.NEVER
})

const FIRMWARE = optCell.transform((v, ctx) => {
  if (v === undefined) return undefined
  if (/uefi|efi/i.test(v)) return 'uefi'
  if (/bios|legacy|hérité|csm/i.test(v)) return 'bios'
  ctx.addIssue({code: 'custom', message: t('notFirmware', {value: v})})
  return z.NEVER
})

const YES_NO = optCell.transform((v, ctx) => {
  if (v === undefined) return undefined
  const s = v.toLowerCase()
  if (/^(oui|o|yes|y|1|true|vrai|activé|actif|enabled|on)$/.test(s)) return 1
  if (/^(non|n|no|0|false|faux|désactivé|inactif|disabled|off)$/.test(s)) return 0
  ctx.addIssue({code: 'custom', message: t('notYesNo', {value: v})})
  return z.NEVER
})

const FORM = optCell.transform((v) => {
  if (v === undefined) return undefined
  if (/portable|laptop|notebook|ultrabook|2 en 1|convertible/i.test(v)) return 'laptop'
  if (/tour|tower|desktop|fixe|bureau|mini|sff|all in one|tout.en.un|station/i.test(v)) return 'desktop'
  return undefined
})

/** A serial is one name in a path: a letter or digit first, then letters, digits, . _ - */
export const SERIAL_CHARS = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/** Placeholders vendors leave in the serial field: never a natural key. */
const PLACEHOLDER_SERIALS =
  /^(default string|to be filled by o\.?e\.?m\.?|system serial number|0+|none|n\/?a|123456789|chassis serial number|not specified)$/i

export const InventoryRowSchema = z.object({
  serial: z
    .string()
    .trim()
    .min(1, {error: () => t('serialEmpty')})
    .max(64)
    .refine((s) => !PLACEHOLDER_SERIALS.test(s), {error: () => t('serialPlaceholder')})
    // it names the staging folder (./staging/SERIAL) and the USMT store (STORE\\SERIAL)
    .refine((s) => PLACEHOLDER_SERIALS.test(s) || SERIAL_CHARS.test(s), {error: () => t('serialChars')})
    .transform((s) => s.toUpperCase()),
  entity: text({max: 300}),
  name: optText,
  status: optText,
  maker: optText,
  model: optText,
  type: FORM,
  os_name: optText,
  os_version: optText,
  location: optText,
  user: optText,
  cpu: optText,
  ram: sizeField('MB', 'memory'),
  disk: sizeField('MB', 'disk'),
  tpm: TPM,
  firmware: FIRMWARE,
  secure_boot: YES_NO,
})
export type InventoryRow = z.infer<typeof InventoryRowSchema>
