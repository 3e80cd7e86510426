import type {Kysely} from 'kysely'
import {nowIso} from '../core/ids.js'
import type {Database} from '../store/schema.js'

export interface UpsertCounts {
  inserted: number
  updated: number
  unchanged: number
}

type KeyedTable = 'laptops' | 'laptop_sites' | 'laptop_beneficiaries'
const KEY: Record<KeyedTable, string> = {laptops: 'serial', laptop_sites: 'code', laptop_beneficiaries: 'ref'}

/**
 * Upsert by natural key, comparing the given columns so that a re-run reports "unchanged".
 * Only `columns` are written on update (a laptop's state, snapshot... are never touched by an
 * intake file); `onInsert` adds what a new row needs (state, timestamps). Chunked for
 * SQLite's parameter limit.
 */
export async function upsertByKey<R extends Record<string, unknown>>(
  trx: Kysely<Database>,
  table: KeyedTable,
  rows: R[],
  columns: (keyof R & string)[],
  onInsert: (row: R, at: string) => Record<string, unknown>,
): Promise<UpsertCounts & {insertedKeys: string[]}> {
  const key = KEY[table]
  const insertedKeys: string[] = []
  const at = nowIso()
  const counts: UpsertCounts = {inserted: 0, updated: 0, unchanged: 0}
  const db = trx as unknown as Kysely<any>
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500)
    const existing = await db.selectFrom(table).select([key, ...columns]).where(key, 'in', chunk.map((r) => r[key] as string)).execute()
    const byKey = new Map(existing.map((e: Record<string, unknown>) => [e[key] as string, e]))
    const inserts: Record<string, unknown>[] = []
    for (const row of chunk) {
      const cur = byKey.get(row[key] as string)
      const values: Record<string, unknown> = {}
      for (const c of columns) values[c] = row[c] ?? null
      if (!cur) {
        inserts.push({[key]: row[key], ...values, ...onInsert(row, at)})
        continue
      }
      if (columns.every((c) => (cur[c] ?? null) === values[c])) {
        counts.unchanged++
        continue
      }
      await db.updateTable(table).set({...values, updated_at: at}).where(key, '=', row[key]).execute()
      counts.updated++
    }
    if (inserts.length > 0) {
      const per = Math.max(1, Math.floor(900 / Object.keys(inserts[0]!).length))
      for (let j = 0; j < inserts.length; j += per) await db.insertInto(table).values(inserts.slice(j, j + per)).execute()
      counts.inserted += inserts.length
      for (const r of inserts) insertedKeys.push(r[key] as string)
    }
  }
  return {...counts, insertedKeys}
}
