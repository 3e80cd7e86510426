import type {z} from 'zod'
import {UsageError} from '../core/errors.js'
import {foldHeader} from './fields.js'
import {t} from './messages/index.js'

/** Accepted header names of one canonical field. */
export interface ColumnDef {
  /** Other names in the files (French and English); matching folds case, accents, spaces and punctuation. */
  aliases?: readonly string[]
  /**
   * Must the column be present in the header? Default: true when the schema refuses an
   * undefined value for this field (a required field), false otherwise.
   */
  required?: boolean
}

/** Canonical field name → accepted header names. */
export type ColumnSpec = Record<string, ColumnDef>

export interface HeaderMapping {
  /** Column index → canonical field name. */
  byIndex: Map<number, string>
  /** Canonical field name → the header as written in the file. */
  headerOf: Record<string, string>
  /** Headers that match no field (empty header cells are left out). */
  unknownHeaders: string[]
}

function schemaShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const shape = (schema as unknown as {shape?: unknown}).shape
  return shape && typeof shape === 'object' ? (shape as Record<string, z.ZodType>) : undefined
}

function acceptsUndefined(field: z.ZodType): boolean {
  try {
    return field.safeParse(undefined).success
  } catch {
    return false
  }
}

/** Map the file's header cells to canonical fields; missing required columns → UsageError (exit 2). */
export function resolveHeaders(headers: readonly string[], columns: ColumnSpec, schema: z.ZodType, file: string): HeaderMapping {
  const shape = schemaShape(schema) ?? {}
  const fields = [...new Set([...Object.keys(columns), ...Object.keys(shape)])]
  const names = new Map<string, string>() // folded name → canonical
  // Canonical names first, so that an alias of one field never hides another field's name.
  for (const f of fields) {
    const k = foldHeader(f)
    if (k && !names.has(k)) names.set(k, f)
  }
  for (const f of fields) {
    for (const name of columns[f]?.aliases ?? []) {
      const k = foldHeader(name)
      if (k && !names.has(k)) names.set(k, f)
    }
  }
  const byIndex = new Map<number, string>()
  const headerOf: Record<string, string> = {}
  const unknownHeaders: string[] = []
  headers.forEach((h, i) => {
    const k = foldHeader(h)
    if (!k) return
    const f = names.get(k)
    if (!f) {
      unknownHeaders.push(h.trim())
      return
    }
    if (f in headerOf) {
      throw new UsageError(t('duplicateColumn', {a: headerOf[f], b: h.trim(), field: f}), {actions: [t('duplicateAction')]})
    }
    headerOf[f] = h.trim()
    byIndex.set(i, f)
  })
  const missing = fields.filter((f) => {
    if (f in headerOf) return false
    const required = columns[f]?.required ?? (shape[f] ? !acceptsUndefined(shape[f]) : false)
    return required
  })
  if (missing.length > 0) {
    const list = missing
      .map((f) => `${f} (${t('accepted')}: ${[f, ...(columns[f]?.aliases ?? [])].map((n) => `"${n}"`).join(', ')})`)
      .join('; ')
    throw new UsageError(t('missingColumns', {file, list}), {
      actions: [t('missingAction')],
      data: {missing, accepted: Object.fromEntries(missing.map((f) => [f, [f, ...(columns[f]?.aliases ?? [])]])), headers: [...headers]},
    })
  }
  return {byIndex, headerOf, unknownHeaders}
}
