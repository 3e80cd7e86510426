import {rmSync} from 'node:fs'
import {resolve} from 'node:path'
import {audit, type ServiceContext} from '../context/service-context.js'
import {NotFound, RuleViolation, UsageError} from '../core/errors.js'
import {safeJoin} from '../core/fs.js'
import {newId, nowIso, today} from '../core/ids.js'
import {parseFrDate} from '../csv/fields.js'
import {writeCsv} from '../csv/write.js'
import {moveTo} from './states.js'
import {alternativeFor, blockingRule, loadPolicy} from './policy.js'
import type {Category} from './model.js'
import {t} from './messages/index.js'

export interface OrderOptions {
  member: string
  /** Order date YYYY-MM-DD (default: today); the policy is checked on this date. */
  date?: string
  policyPath?: string
  /** Where to write the CSV for LAFI (default ./commande-lafi-<member>-<date>.csv). */
  out?: string
  dryRun?: boolean
}

export interface OrderLine {
  line: number
  pcSerial: string
  reference: string
  category: Category
  label: string
  quantity: number
  unitPriceCents: number
  /** the blocked category this line stands in for */
  substitutes: Category | null
  policyRule: string | null
}

export interface OrderProblem {
  pcSerial: string
  category: Category
  problem: 'blocked_no_alternative' | 'no_catalogue_item'
  message: string
}

export interface OrderResult {
  orderId: string | null
  member: string
  date: string
  lines: OrderLine[]
  totalCents: number
  substitutions: number
  csv: string | null
  dryRun: boolean
}

export const ORDER_CSV_COLUMNS = [
  {key: 'reference', header: 'Référence'},
  {key: 'label', header: 'Désignation'},
  {key: 'category', header: 'Catégorie'},
  {key: 'quantity', header: 'Quantité'},
  {key: 'unit', header: 'Prix unitaire HT'},
  {key: 'total', header: 'Total HT'},
  {key: 'pcSerial', header: 'PC remplacé (n° de série)'},
  {key: 'substitutes', header: 'Remplace (catégorie bloquée)'},
  {key: 'policyRule', header: 'Règle'},
]

const CATEGORY_FR: Record<Category, string> = {
  laptop: 'Portable',
  tower: 'Tour',
  screen: 'Écran',
  tablet: 'Tablette',
  webcam: 'Webcam',
  headset: 'Casque',
  dock: "Station d'accueil",
  other: 'Autre',
}

function euros(c: number): string {
  return `${Math.trunc(c / 100)},${String(Math.abs(c % 100)).padStart(2, '0')}`
}

/**
 * Propose the order lines for a member's PCs to replace, each checked against the supply
 * policy on the order date: a blocked category comes back as its allowed alternative (a
 * laptop → a tower and a screen). All or nothing: any PC without an allowed, available
 * catalogue item refuses the order. Writes the CSV for LAFI and records the order.
 */
export async function orderForMember(ctx: ServiceContext, opts: OrderOptions): Promise<OrderResult> {
  const date = opts.date ?? today()
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !parseFrDate(date).ok) throw new UsageError(t('notADate', {flag: '--date', value: date}))
  const policy = loadPolicy(ctx.templatesDir, opts.policyPath)
  const db = ctx.store.db
  const member = await db.selectFrom('win7_members').select(['code']).where('code', '=', opts.member).executeTakeFirst()
  if (!member) throw new NotFound(t('member.unknown', {member: opts.member}), {actions: [t('act.statusMembers')]})
  const pcs = await db
    .selectFrom('win7_pcs')
    .select(['serial', 'form_factor'])
    .where('member_code', '=', opts.member)
    .where('role', '=', 'old')
    .where('state', '=', 'to_replace')
    .orderBy('serial')
    .execute()
  if (pcs.length === 0) {
    throw new RuleViolation('WIN7_NOTHING_TO_ORDER', t('nothingToOrder', {member: opts.member}), {
      actions: ['alpi win7 assess --member ' + opts.member, 'alpi win7 status --member ' + opts.member],
    })
  }
  const items = await db
    .selectFrom('win7_catalog_items')
    .selectAll()
    .where('available', '=', 1)
    .orderBy('price_cents')
    .orderBy('reference')
    .execute()
  const cheapest = (c: Category) => items.find((i) => i.category === c)

  const lines: OrderLine[] = []
  const problems: OrderProblem[] = []
  for (const pc of pcs) {
    const wanted: Category = pc.form_factor === 'laptop' ? 'laptop' : 'tower'
    const rule = blockingRule(policy, wanted, date)
    let cats: Category[] = [wanted]
    if (rule) {
      const alt = alternativeFor(policy, wanted)
      const altBlocked = alt?.find((a) => blockingRule(policy, a, date))
      if (!alt || altBlocked) {
        problems.push({
          pcSerial: pc.serial,
          category: wanted,
          problem: 'blocked_no_alternative',
          message: t('blockedNoAlternative', {category: wanted, rule: rule.id, date}),
        })
        continue
      }
      ctx.out.info(t('order.blocked', {serial: pc.serial, category: wanted, rule: rule.id, date, alternative: alt.join(' + ')}))
      cats = alt
    }
    for (const c of cats) {
      const item = cheapest(c)
      if (!item) {
        problems.push({pcSerial: pc.serial, category: c, problem: 'no_catalogue_item', message: t('noCatalogueItem', {category: c})})
        continue
      }
      lines.push({
        line: lines.length + 1,
        pcSerial: pc.serial,
        reference: item.reference,
        category: c,
        label: item.label,
        quantity: 1,
        unitPriceCents: item.price_cents,
        substitutes: rule ? wanted : null,
        policyRule: rule?.id ?? null,
      })
    }
  }
  if (problems.length > 0) {
    const cats = [...new Set(problems.filter((p) => p.problem === 'no_catalogue_item').map((p) => p.category))]
    throw new RuleViolation('WIN7_ORDER_INCOMPLETE', t('orderIncomplete', {count: problems.length, member: opts.member}), {
      actions: [
        ...(cats.length ? [t('orderImportCatalog', {categories: cats.join(', ')})] : []),
        ...(problems.some((p) => p.problem === 'blocked_no_alternative') ? [t('orderSetAlternative')] : []),
      ],
      data: {problems, proposed: lines},
    })
  }
  const totalCents = lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0)
  const substitutions = lines.filter((l) => l.substitutes).length
  if (opts.dryRun) return {orderId: null, member: opts.member, date, lines, totalCents, substitutions, csv: null, dryRun: true}

  const csv = opts.out ? resolve(opts.out) : safeJoin('.', `commande-lafi-${opts.member}-${date}.csv`)
  await writeCsv(
    csv,
    lines.map((l) => ({
      ...l,
      category: CATEGORY_FR[l.category],
      unit: euros(l.unitPriceCents),
      total: euros(l.unitPriceCents * l.quantity),
      substitutes: l.substitutes ? CATEGORY_FR[l.substitutes] : '',
    })),
    {columns: ORDER_CSV_COLUMNS, delimiter: ';', bom: true, eol: '\r\n'},
  )
  const orderId = newId()
  try {
    await ctx.store.transaction(async (trx) => {
      await trx
        .insertInto('win7_orders')
        .values({
          id: orderId,
          member_code: opts.member,
          order_date: date,
          lines: lines.length,
          total_cents: totalCents,
          csv_path: csv,
          created_at: nowIso(),
          actor: ctx.actor,
        })
        .execute()
      for (const l of lines) {
        await trx
          .insertInto('win7_order_lines')
          .values({
            order_id: orderId,
            line_no: l.line,
            pc_serial: l.pcSerial,
            reference: l.reference,
            category: l.category,
            label: l.label,
            quantity: l.quantity,
            unit_price_cents: l.unitPriceCents,
            substitutes: l.substitutes,
            policy_rule: l.policyRule,
          })
          .execute()
      }
      for (const pc of pcs) await moveTo(trx, pc.serial, 'ordered')
      await audit(ctx, trx, {
        entity: 'win7_order',
        entityId: orderId,
        action: 'order',
        summary: {code: 'win7Ordered', params: {member: opts.member, lines: lines.length, pcs: pcs.length}},
        data: {member: opts.member, date, lines: lines.length, pcs: pcs.length, totalCents, substitutions},
      })
    })
  } catch (error) {
    rmSync(csv, {force: true})
    throw error
  }
  return {orderId, member: opts.member, date, lines, totalCents, substitutions, csv, dryRun: false}
}
