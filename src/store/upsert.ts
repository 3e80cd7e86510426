import type {Kysely} from 'kysely'
import {BugError} from '../core/errors.js'
import {checkpoint} from './db.js'

/**
 * Insert-or-update rows by natural key, counting what changed, on SQLite and PostgreSQL
 * (query builder only). Existing rows are fetched by key in chunks (SQLite limits bound
 * variables), compared, then new rows are inserted and changed rows updated; a re-run
 * with the same rows reports everything unchanged and writes nothing.
 *
 * - A property present with `undefined` is written as NULL (an emptied cell clears the
 *   value); a property absent from the row object is left alone.
 * - `compare` lists the columns that decide whether a row changed (default: every
 *   non-key property of the row). Other properties (e.g. updated_at) are still written
 *   when the row is inserted or updated, but do not make it "changed".
 * - `onInsert` / `onUpdate` add values written only on insert (initial state, created_at)
 *   or only on update (updated_at); they are never compared.
 * - Rows must be unique by key (importCsv rejects duplicates before this).
 * Call it inside the caller's transaction (store.transaction).
 */
export interface UpsertCounts {
  inserted: number
  updated: number
  unchanged: number
}

export interface UpsertOptions<R> {
  compare?: readonly (keyof R & string)[]
  /** Rows per SELECT/INSERT chunk (default 500). */
  chunkSize?: number
  /** Extra values written only when a row is inserted (e.g. an initial state, created_at). */
  onInsert?: (row: R) => Record<string, unknown>
  /** Extra values written only when a row is updated (e.g. updated_at). Not compared. */
  onUpdate?: (row: R) => Record<string, unknown>
}

/** Values as stored, for comparison: booleans are 0/1, dates ISO text, undefined NULL, numbers and text compared as text. */
function norm(v: unknown): string | null {
  if (v === undefined || v === null) return null
  if (typeof v === 'boolean') return v ? '1' : '0'
  if (v instanceof Date) return v.toISOString()
  if (typeof v === 'object' && !(v instanceof Uint8Array)) return JSON.stringify(v)
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  return String(v)
}

/** Values to bind: undefined → null, booleans → 0/1 (SQLite binds no booleans). */
function bindable(v: unknown): unknown {
  if (v === undefined) return null
  if (typeof v === 'boolean') return v ? 1 : 0
  return v
}

function keyOf(row: Record<string, unknown>, keys: readonly string[]): string {
  return JSON.stringify(keys.map((k) => norm(row[k])))
}

export async function upsertRows<R extends Record<string, unknown>>(
  trx: Kysely<any>,
  table: string,
  keyColumns: readonly (keyof R & string)[],
  rows: readonly R[],
  opts: UpsertOptions<R> = {},
): Promise<UpsertCounts> {
  const counts: UpsertCounts = {inserted: 0, updated: 0, unchanged: 0}
  if (rows.length === 0) return counts
  if (keyColumns.length === 0) throw new BugError('upsertRows: keyColumns must not be empty')
  const keys = keyColumns as readonly string[]
  const seen = new Set<string>()
  for (const r of rows) {
    const k = keyOf(r, keys)
    if (seen.has(k))
      throw new BugError(
        `upsertRows(${table}): the key ${k} appears twice in the rows; reject duplicates before upserting (importCsv does)`,
      )
    seen.add(k)
  }
  const chunk = Math.max(1, Math.min(opts.chunkSize ?? 500, Math.floor(30_000 / keys.length)))
  const allColumns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  const compareCols = (opts.compare as readonly string[] | undefined) ?? allColumns.filter((c) => !keys.includes(c))
  const selectCols = [...new Set([...keys, ...compareCols])]

  for (let start = 0; start < rows.length; start += chunk) {
    // A Ctrl-C during a large batch stops it here (the transaction then rolls back).
    await checkpoint()
    const part = rows.slice(start, start + chunk) as readonly Record<string, unknown>[]
    let q = trx.selectFrom(table).select(selectCols)
    if (keys.length === 1) {
      const k = keys[0]
      q = q.where(
        k,
        'in',
        part.map((r) => bindable(r[k])),
      )
    } else {
      q = q.where((eb: any) => eb.or(part.map((r) => eb.and(keys.map((k) => eb(k, '=', bindable(r[k])))))))
    }
    const existing = new Map<string, Record<string, unknown>>()
    for (const e of (await q.execute()) as Record<string, unknown>[]) existing.set(keyOf(e, keys), e)

    const toInsert: Record<string, unknown>[] = []
    for (const r of part) {
      const old = existing.get(keyOf(r, keys))
      if (!old) {
        toInsert.push(opts.onInsert ? {...r, ...opts.onInsert(r as R)} : r)
        continue
      }
      const changed = compareCols.some((c) => c in r && norm(r[c]) !== norm(old[c]))
      if (!changed) {
        counts.unchanged++
        continue
      }
      const set: Record<string, unknown> = {}
      const full = opts.onUpdate ? {...r, ...opts.onUpdate(r as R)} : r
      for (const c of Object.keys(full)) if (!keys.includes(c)) set[c] = bindable(full[c])
      let u = trx.updateTable(table).set(set)
      for (const k of keys) u = u.where(k, '=', bindable(r[k]))
      await u.execute()
      counts.updated++
    }
    // Group by the set of properties so that absent columns keep their DEFAULT.
    const groups = new Map<string, Record<string, unknown>[]>()
    for (const r of toInsert) {
      const sig = Object.keys(r).sort().join('\u0000')
      const list = groups.get(sig)
      const v = Object.fromEntries(Object.entries(r).map(([k, x]) => [k, bindable(x)]))
      if (list) list.push(v)
      else groups.set(sig, [v])
    }
    for (const list of groups.values()) {
      const cols = Object.keys(list[0]).length || 1
      const per = Math.max(1, Math.min(chunk, Math.floor(30_000 / cols)))
      for (let i = 0; i < list.length; i += per) {
        await trx
          .insertInto(table)
          .values(list.slice(i, i + per))
          .execute()
      }
      counts.inserted += list.length
    }
  }
  return counts
}
