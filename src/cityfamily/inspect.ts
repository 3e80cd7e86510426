import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {z} from 'zod'
import {foldHeader} from '../csv/fields.js'
import {streamCsv, type CsvMeta} from '../csv/read.js'
import type {FileContext} from './engine.js'
import {UsageError} from '../core/errors.js'
import {loadSourceMapping, sourceMappingPath, sourceSchema} from './mapping.js'
import {ENTITY_ORDER, entityDef, type EntityName} from './model.js'
import {normaliseInseeCode, normalisePhone, normalisePostalCode} from '../csv/fields.js'
import {t} from './messages/index.js'

export interface ColumnProfile {
  header: string
  /** Canonical field it maps to (null: not in the mapping). */
  field: string | null
  filled: number
  fillRate: number
  suspicious: number
  /** First suspicious rows: line number and why (values are not repeated here). */
  examples: {row: number; message: string}[]
}

export interface FileProfile {
  entity: EntityName
  file: string
  present: boolean
  encoding?: string
  bom?: boolean
  delimiter?: string
  rows: number
  raggedRows: number
  columns: ColumnProfile[]
  /** Mapping columns (headers) not found in the file. */
  missingColumns: string[]
}

export interface InspectResult {
  dir: string
  files: FileProfile[]
  /** Files in the folder that the mapping does not know. */
  unknownFiles: string[]
}

const SOFT: Record<string, (s: string) => string | undefined> = {
  phone: normalisePhone,
  postal: normalisePostalCode,
  insee: normaliseInseeCode,
}

/** Profile each file of an export: format, rows, fill rate per column, suspicious values, missing columns. */
export async function inspectExport(ctx: FileContext, opts: {dir: string; sourceMapping?: string}): Promise<InspectResult> {
  if (!existsSync(opts.dir)) throw new UsageError(t('dirMissing', {dir: opts.dir}), {actions: [t('dirMissingAction')]})
  const mapping = loadSourceMapping(opts.sourceMapping ?? sourceMappingPath(ctx.templatesDir))
  const known = new Set<string>()
  const files: FileProfile[] = []
  for (const entity of ENTITY_ORDER) {
    const m = mapping.entities[entity]
    if (!m) continue
    known.add(m.file.toLowerCase())
    const path = join(opts.dir, m.file)
    const profile: FileProfile = {entity, file: m.file, present: existsSync(path), rows: 0, raggedRows: 0, columns: [], missingColumns: []}
    files.push(profile)
    if (!profile.present) continue
    const shape = (sourceSchema(mapping, entity) as unknown as z.ZodObject).shape as Record<string, z.ZodType>
    const def = entityDef(entity)
    let meta: CsvMeta | undefined
    let fieldOf = new Map<string, string>()
    const cols = new Map<string, ColumnProfile>()
    // An empty schema: every column comes back raw, nothing is rejected but ragged rows.
    const gen = streamCsv({
      source: path,
      schema: z.object({}),
      encoding: mapping.encoding,
      delimiter: mapping.delimiter,
      signal: ctx.signal,
      onHeader: (mt) => {
        meta = mt
        const byFold = new Map<string, string>()
        for (const [field, c] of Object.entries(m.columns))
          for (const h of [c.header, ...(c.aliases ?? [])]) byFold.set(foldHeader(h), field)
        fieldOf = new Map(mt.headers.filter((h) => h !== '').map((h) => [h, byFold.get(foldHeader(h)) ?? '']))
        for (const h of mt.headers)
          if (h !== '') cols.set(h, {header: h, field: fieldOf.get(h) || null, filled: 0, fillRate: 0, suspicious: 0, examples: []})
        const present = new Set([...fieldOf.values()])
        profile.missingColumns = Object.entries(m.columns)
          .filter(([f]) => !present.has(f))
          .map(([, c]) => c.header)
      },
    })
    for await (const item of gen) {
      profile.rows++
      if (!item.ok) {
        profile.raggedRows++
        continue
      }
      for (const [h, cell] of Object.entries(item.raw)) {
        const c = cols.get(h)
        if (!c) continue
        const v = cell.trim()
        if (v === '') continue
        c.filled++
        if (!c.field) continue
        const kind = def.fields[c.field]?.kind
        let problem: string | undefined
        if (kind && SOFT[kind]) problem = SOFT[kind]!(v) === undefined ? t('notValidKind', {kind}) : undefined
        else if (kind === 'email') problem = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(v) ? undefined : t('notValidEmail')
        else {
          const r = shape[c.field]!.safeParse(v)
          if (!r.success) problem = r.error.issues[0]?.message ?? 'invalid'
        }
        if (problem === undefined && v !== cell) problem = t('spaces')
        if (problem) {
          c.suspicious++
          // The row and the column say where; the cell (a name, a birth date...) is not repeated.
          if (c.examples.length < 3) c.examples.push({row: item.row, message: problem.split(v).join('…')})
        }
      }
    }
    if (meta) {
      profile.encoding = meta.encoding
      profile.bom = meta.bom
      profile.delimiter = meta.delimiter
    }
    profile.columns = [...cols.values()].map((c) => ({
      ...c,
      fillRate: profile.rows === 0 ? 0 : Math.round((c.filled / profile.rows) * 1000) / 1000,
    }))
  }
  const unknownFiles = readdirSync(opts.dir)
    .filter((f) => !f.startsWith('.') && !known.has(f.toLowerCase()))
    .sort()
  return {dir: opts.dir, files, unknownFiles}
}
