import type {Kysely} from 'kysely'
import {z} from 'zod'
import type {ServiceContext} from '../context/service-context.js'
import {nowIso} from '../core/ids.js'
import {importCsv, type ImportFileOptions, type ImportResult} from '../csv/import.js'
import {cents, text} from '../csv/fields.js'
import type {Database} from '../store/schema.js'
import {upsertRows} from '../store/upsert.js'
import {normaliseCategory} from './model.js'
import {t} from './messages/index.js'

/** LAFI's catalogue: reference, category, label, price (HT), availability. */
export const CATALOG_COLUMNS = {
  reference: {aliases: ['Référence', 'Réf.', 'Ref', 'Code article', 'Article']},
  category: {aliases: ['Catégorie', 'Famille', 'Type']},
  label: {aliases: ['Libellé', 'Désignation', 'Description', 'Produit']},
  price: {aliases: ['Prix', 'Prix HT', 'Prix unitaire HT', 'PU HT', 'Tarif HT']},
  availability: {aliases: ['Disponibilité', 'Disponible', 'Stock', 'Statut']},
} as const

/** Available unless the cell says otherwise: "rupture", "indisponible", "non", "0". */
export function isAvailable(v: string | undefined): boolean {
  if (v === undefined) return true
  const s = v
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
  if (/^\d+$/.test(s)) return Number(s) > 0
  return !/rupture|indisponible|epuise|^non$|^n$|^no$|unavailable|out of stock|arrete/.test(s)
}

export const CatalogRowSchema = z.object({
  reference: text({max: 60}).transform((s) => s.toUpperCase()),
  category: text({max: 80}).transform(normaliseCategory),
  label: text({max: 300}),
  price: cents().refine((c) => c >= 0, {error: () => t('negativePrice')}),
  availability: text({max: 100}).optional(),
})
export type CatalogRow = z.infer<typeof CatalogRowSchema>

export async function importCatalog(ctx: ServiceContext, opts: ImportFileOptions): Promise<ImportResult> {
  return importCsv(ctx, {
    source: opts.file,
    rejectsPath: opts.rejectsPath,
    repairEncoding: opts.repairEncoding,
    dryRun: opts.dryRun,
    schema: CatalogRowSchema,
    columns: CATALOG_COLUMNS,
    entity: 'win7_catalog',
    key: (v: CatalogRow) => v.reference,
    upsert: (trx: Kysely<Database>, rows: CatalogRow[]) => {
      const now = nowIso()
      return upsertRows(
        trx,
        'win7_catalog_items',
        ['reference'],
        rows.map((r) => ({
          reference: r.reference,
          category: r.category,
          label: r.label,
          price_cents: r.price,
          available: isAvailable(r.availability) ? 1 : 0,
          availability: r.availability ?? null,
          updated_at: now,
        })),
        {compare: ['category', 'label', 'price_cents', 'available', 'availability']},
      )
    },
  })
}
