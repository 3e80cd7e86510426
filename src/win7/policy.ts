import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {z} from 'zod'
import {UsageError} from '../core/errors.js'
import {CATEGORIES, type Category} from './model.js'
import {t} from './messages/index.js'

/**
 * The supply policy: categories blocked during date ranges (inclusive), and the allowed
 * categories to order instead (a laptop → a tower and a screen).
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, {error: () => t('isoDate')})
export const SupplyPolicySchema = z.object({
  about: z.string().optional(),
  rules: z.array(
    z.object({
      id: z.string().min(1),
      label: z.string().optional(),
      from: isoDate,
      to: isoDate,
      blocked: z.array(z.enum(CATEGORIES)).min(1),
    }),
  ),
  alternatives: z.partialRecord(z.enum(CATEGORIES), z.array(z.enum(CATEGORIES)).min(1)).default({}),
})
export type SupplyPolicy = z.infer<typeof SupplyPolicySchema>
export type PolicyRule = SupplyPolicy['rules'][number]

export function loadPolicy(templatesDir: string, path?: string): SupplyPolicy {
  const file = path ?? join(templatesDir, 'win7', 'supply-policy.json')
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new UsageError(t('policyUnreadable', {file, detail: (error as Error).message}), {actions: [t('policyUnreadableAction')]})
  }
  const parsed = SupplyPolicySchema.safeParse(raw)
  if (!parsed.success) {
    const i = parsed.error.issues[0]
    throw new UsageError(t('policyInvalid', {file, path: i?.path.join('.') ?? '', detail: i?.message ?? ''}), {
      actions: [t('policyInvalidAction')],
    })
  }
  for (const r of parsed.data.rules) {
    if (r.from > r.to)
      throw new UsageError(t('policyDates', {id: r.id, from: r.from, to: r.to}), {actions: [t('policyDatesAction', {id: r.id, file})]})
  }
  for (const [cat, alts] of Object.entries(parsed.data.alternatives)) {
    // an alternative must not itself be blocked by a rule that blocks the category
    for (const r of parsed.data.rules) {
      if (r.blocked.includes(cat as Category) && alts!.some((a) => r.blocked.includes(a))) {
        throw new UsageError(t('policyAlternative', {category: cat, id: r.id}), {
          actions: [t('policyAlternativeAction', {category: cat, file})],
        })
      }
    }
  }
  return parsed.data
}

/** The rule blocking `category` on `date` (YYYY-MM-DD), or null when it is allowed. */
export function blockingRule(policy: SupplyPolicy, category: Category, date: string): PolicyRule | null {
  return policy.rules.find((r) => r.blocked.includes(category) && r.from <= date && date <= r.to) ?? null
}

/** What to order instead of a blocked category (null: nothing allowed stands in for it). */
export function alternativeFor(policy: SupplyPolicy, category: Category): Category[] | null {
  return policy.alternatives[category] ?? null
}
