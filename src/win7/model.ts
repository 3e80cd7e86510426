import {z} from 'zod'
import {text} from '../csv/fields.js'

/**
 * The fleet as GLPI or OCS Inventory export it. Canonical field names; the header aliases
 * are GLPI's French search-export headers and OCS's column names (header matching folds
 * case, accents and punctuation in the CSV pipeline). Empty cells are unknown facts.
 */
export const INVENTORY_COLUMNS = {
  serial: {required: true, aliases: ['Numéro de série', 'Numero de serie', 'N° de série', 'Serial number', 'SSN', 'SERIAL']},
  entity: {required: true, aliases: ['Entité', 'Entity', 'TAG', 'Collectivité', 'Adhérent']},
  name: {aliases: ['Nom', 'Name', 'NAME', 'Nom du poste']},
  status: {aliases: ['Statut', 'Status']},
  maker: {aliases: ['Fabricant', 'Manufacturer', 'SMANUFACTURER', 'Constructeur']},
  model: {aliases: ['Modèle', 'Model', 'SMODEL']},
  type: {aliases: ['Type', 'Type d\'ordinateur', 'Computer type', 'TYPE', 'CHASSIS', 'Type de châssis']},
  os_name: {aliases: ['Système d\'exploitation - Nom', 'Système d\'exploitation', 'Operating system - Name', 'OSNAME', 'OS']},
  os_version: {aliases: ['Système d\'exploitation - Version', 'Operating system - Version', 'OSVERSION']},
  location: {aliases: ['Lieu', 'Location', 'Site']},
  user: {aliases: ['Usager', 'Utilisateur', 'User', 'USERID', 'Login']},
  cpu: {aliases: ['Processeur', 'Composants - Processeur', 'Processor', 'Components - Processor', 'PROCESSORT', 'CPU']},
  ram: {aliases: ['Mémoire', 'Composants - Mémoire', 'Mémoire (Mio)', 'Memory', 'Components - Memory', 'MEMORY', 'RAM']},
  disk: {aliases: ['Disque', 'Disque dur', 'Composants - Disque dur', 'Hard drive', 'Components - Hard drive', 'DISKSIZE', 'Stockage']},
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

/** "8 Go", "8192", "8192 Mio", "8 GB", "7,9 Go" → MB. Bare numbers are in `bareUnit`. */
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
        ctx.addIssue({code: 'custom', message: `${what} "${v}" is not a size (e.g. 8 Go, 8192 Mio, 256 GB)`})
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
  ctx.addIssue({code: 'custom', message: `TPM "${v}" is not a TPM version (2.0, 1.2 or non)`})
  return z.NEVER
})

const FIRMWARE = optCell.transform((v, ctx) => {
  if (v === undefined) return undefined
  if (/uefi|efi/i.test(v)) return 'uefi'
  if (/bios|legacy|hérité|csm/i.test(v)) return 'bios'
  ctx.addIssue({code: 'custom', message: `firmware "${v}" is neither UEFI nor BIOS/Legacy`})
  return z.NEVER
})

const YES_NO = optCell.transform((v, ctx) => {
  if (v === undefined) return undefined
  const s = v.toLowerCase()
  if (/^(oui|o|yes|y|1|true|vrai|activé|actif|enabled|on)$/.test(s)) return 1
  if (/^(non|n|no|0|false|faux|désactivé|inactif|disabled|off)$/.test(s)) return 0
  ctx.addIssue({code: 'custom', message: `"${v}" is not oui/non`})
  return z.NEVER
})

const FORM = optCell.transform((v) => {
  if (v === undefined) return undefined
  if (/portable|laptop|notebook|ultrabook|2 en 1|convertible/i.test(v)) return 'laptop'
  if (/tour|tower|desktop|fixe|bureau|mini|sff|all in one|tout.en.un|station/i.test(v)) return 'desktop'
  return undefined
})

/** Placeholders vendors leave in the serial field: never a natural key. */
const PLACEHOLDER_SERIALS = /^(default string|to be filled by o\.?e\.?m\.?|system serial number|0+|none|n\/?a|123456789|chassis serial number|not specified)$/i

export const InventoryRowSchema = z.object({
  serial: z
    .string()
    .trim()
    .min(1, 'serial is empty')
    .max(64)
    .refine((s) => !PLACEHOLDER_SERIALS.test(s), 'serial is a vendor placeholder, not a real serial number')
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

/** GLPI tree paths use " > " between levels (a bare ">" may be part of a name). */
export function splitPath(path: string): string[] {
  return path.split(/\s+>\s+/).map((p) => p.trim()).filter(Boolean)
}

/** "Entité racine > CC des Landes > Mairie de Pissos" → last segment. */
export function lastSegment(path: string): string {
  const parts = splitPath(path)
  return parts.at(-1) ?? path.trim()
}

/** A stable key from a display name: lower case, no accents, a-z0-9 and dashes. */
export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'x'
}

/** Catalogue categories, from LAFI's French labels. */
export const CATEGORIES = ['laptop', 'tower', 'screen', 'tablet', 'webcam', 'headset', 'dock', 'other'] as const
export type Category = (typeof CATEGORIES)[number]

export function normaliseCategory(label: string): Category {
  const s = label.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  if (/portable|laptop|notebook/.test(s)) return 'laptop'
  if (/tour|tower|unite centrale|poste fixe|desktop|mini.?pc|sff/.test(s)) return 'tower'
  if (/ecran|moniteur|screen|monitor/.test(s)) return 'screen'
  if (/tablette|tablet/.test(s)) return 'tablet'
  if (/webcam|camera/.test(s)) return 'webcam'
  if (/casque|headset|micro/.test(s)) return 'headset'
  if (/station d.accueil|dock/.test(s)) return 'dock'
  return 'other'
}
