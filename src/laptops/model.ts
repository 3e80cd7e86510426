import {z} from 'zod'
import {frDate, text} from '../csv/fields.js'
import type {Lang} from '../core/i18n.js'
import {msg, showStored, storedCode, type StoredText} from './messages/index.js'

/**
 * Serials that firmware leaves when the maker did not fill the field (dmidecode's man page
 * calls the data "possibly unreliable"): never a laptop's identity.
 */
const PLACEHOLDER_SERIALS = new Set([
  'default string',
  'to be filled by o.e.m.',
  'to be filled by oem',
  'system serial number',
  '0123456789',
  '123456789',
  'none',
  'n/a',
  'na',
  'not specified',
  'not applicable',
  'not available',
  'unknown',
  'serial',
  'chassis serial number',
  'base board serial number',
  'invalid',
])

/**
 * Why a serial is not usable (a code and params, as a probe snapshot stores it), or undefined
 * if it is usable.
 */
export function serialProblemCode(serial: string | undefined | null): StoredText | undefined {
  const s = (serial ?? '').trim()
  if (s === '') return storedCode('serialEmpty')
  if (PLACEHOLDER_SERIALS.has(s.toLowerCase())) return storedCode('serialPlaceholder', {serial: s})
  if (/^(.)\1+$/.test(s)) return storedCode('serialRepeats', {serial: s})
  if (!/^[\p{L}\p{N}][\p{L}\p{N}._\-/ ]*$/u.test(s) || s.length > 64) return storedCode('serialChars', {serial: s})
  return undefined
}

/** Why a serial is not usable, in the person's language (or the one asked), or undefined if it is. */
export function serialProblem(serial: string | undefined | null, lang?: Lang): string | undefined {
  const code = serialProblemCode(serial)
  return code === undefined ? undefined : showStored(code, lang)
}

export function serialField() {
  return text().superRefine((s, ctx) => {
    const problem = serialProblem(s)
    if (problem) ctx.addIssue({code: 'custom', message: problem, input: s})
  })
}

export const LaptopIntakeSchema = z.object({
  serial: serialField(),
  asset_tag: text({max: 64}).optional(),
  maker: text({max: 100}).optional(),
  model: text({max: 100}).optional(),
  lot: text({max: 64}).optional(),
  notes: text({max: 1000, multiline: true}).optional(),
})
export type LaptopIntake = z.infer<typeof LaptopIntakeSchema>

export const LAPTOP_COLUMNS = {
  serial: {aliases: ['numero de serie', 'n de serie', 'no de serie', 'serial number', 'serial', 'sn', 'numserie'], required: true},
  asset_tag: {aliases: ['numero inventaire', 'n inventaire', 'inventaire', 'asset tag', 'etiquette', 'tag']},
  maker: {aliases: ['fabricant', 'marque', 'manufacturer', 'constructeur']},
  model: {aliases: ['modele', 'model']},
  lot: {aliases: ['lot', 'batch', 'livraison']},
  notes: {aliases: ['remarques', 'commentaire', 'commentaires', 'observations', 'notes']},
}

const code = () => text({max: 64}).regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, {error: () => msg('codeChars')})

export const SiteSchema = z
  .object({
    code: code(),
    name: text({max: 200}),
    commune: text({max: 100}).optional(),
    convention_ref: text({max: 100}),
    convention_signed: frDate(),
    convention_end: frDate(),
    quota: text()
      .regex(/^\d+$/, {error: () => msg('wholeNumber')})
      .transform(Number)
      .pipe(z.number().int().min(0).max(100000)),
    contact: text({max: 200}).optional(),
  })
  .refine((s) => s.convention_end >= s.convention_signed, {error: () => msg('conventionEndsBeforeSigned'), path: ['convention_end']})
export type Site = z.infer<typeof SiteSchema>

export const SITE_COLUMNS = {
  code: {aliases: ['code', 'code site', 'site'], required: true},
  name: {aliases: ['nom', 'lieu', 'structure', 'name'], required: true},
  commune: {aliases: ['commune', 'ville']},
  convention_ref: {aliases: ['convention', 'reference convention', 'ref convention', 'n convention'], required: true},
  convention_signed: {aliases: ['date signature', 'signee le', 'signature', 'signed'], required: true},
  convention_end: {aliases: ['date fin', 'fin convention', 'fin', 'end', 'echeance'], required: true},
  quota: {aliases: ['quota', 'nombre', 'dotation'], required: true},
  contact: {aliases: ['contact', 'referent', 'referente']},
}

/** A beneficiary: name, commune, training path, site. Nothing more (minimisation). */
export function beneficiarySchema(siteCodes: ReadonlySet<string>) {
  return z.object({
    ref: code(),
    name: text({max: 200}),
    commune: text({max: 100}),
    training_ref: text({max: 100}).optional(),
    training_start: frDate().optional(),
    site_code: code().refine((s) => siteCodes.has(s), {error: () => msg('unknownSite')}),
  })
}
export type Beneficiary = z.infer<ReturnType<typeof beneficiarySchema>>

export const BENEFICIARY_COLUMNS = {
  ref: {aliases: ['reference', 'ref', 'identifiant', 'id', 'numero'], required: true},
  name: {aliases: ['nom', 'nom prenom', 'nom et prenom', 'beneficiaire', 'name'], required: true},
  commune: {aliases: ['commune', 'ville'], required: true},
  training_ref: {aliases: ['parcours', 'reference parcours', 'ref parcours', 'formation', 'training']},
  training_start: {aliases: ['debut parcours', 'date debut', 'debut formation', 'training start']},
  site_code: {aliases: ['site', 'code site', 'lieu'], required: true},
}

export const COSMETIC_GRADES = ['A', 'B', 'C'] as const
export type CosmeticGrade = (typeof COSMETIC_GRADES)[number]
