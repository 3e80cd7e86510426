import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {z} from 'zod'
import {UsageError} from '../core/errors.js'
import {
  cents,
  foldForMatch,
  frBoolean,
  frDate,
  frDecimal,
  normaliseDecimal,
  parseCents,
  parseFrBoolean,
  parseFrDate,
  text,
  textProblem,
} from '../csv/fields.js'
import {ENTITIES, entityDef, textLimits, type CanonicalRow, type CanonicalValue, type EntityName, type FieldDef} from './model.js'
import {t} from './messages/index.js'

/**
 * The two layouts as data: the Abelium export (source) and the CityFamily import (target).
 * Neither vendor publishes its format, so ALPI edits these JSON files, not the code.
 */
const entityName = z.enum(Object.keys(ENTITIES) as [EntityName, ...EntityName[]])

const sourceColumn = z.object({
  header: z.string().min(1),
  aliases: z.array(z.string().min(1)).optional(),
  /** Export label → canonical code (matched folded: case, accents, spaces ignored). */
  values: z.record(z.string(), z.string()).optional(),
})

export const SourceMappingSchema = z.object({
  description: z.string().optional(),
  encoding: z.enum(['auto', 'utf-8', 'windows-1252']).default('auto'),
  delimiter: z.enum(['auto', ';', ',', '\t']).default('auto'),
  entities: z.partialRecord(entityName, z.object({file: z.string().min(1), columns: z.record(z.string(), sourceColumn)})),
})
export type SourceMapping = z.infer<typeof SourceMappingSchema>

/** Derived entities the target may ask for (computed by migrate, not read). */
export const DERIVED = {balance: ['householdId', 'invoiced', 'paid', 'unpaid']} as const
const targetEntity = z.union([entityName, z.literal('balance')])

const targetColumn = z.object({
  header: z.string().min(1),
  field: z.string().min(1).optional(),
  constant: z.string().optional(),
  format: z.string().optional(),
  values: z.record(z.string(), z.string()).optional(),
})

export const TargetMappingSchema = z.object({
  description: z.string().optional(),
  delimiter: z.enum([';', ',', '\t']).default(';'),
  eol: z.enum(['\n', '\r\n']).default('\r\n'),
  formats: z
    .object({
      date: z.enum(['iso', 'dd/mm/yyyy']).default('iso'),
      cents: z.enum(['euros', 'euros-comma', 'cents']).default('euros'),
      bool: z.enum(['01', 'oui-non', 'true-false']).default('01'),
    })
    .prefault({}),
  files: z
    .array(
      z.object({
        entity: targetEntity,
        file: z.string().regex(/^[\w.-]+$/, {error: () => t('plainFileName')}),
        columns: z.array(targetColumn).min(1),
      }),
    )
    .min(1),
})
export type TargetMapping = z.infer<typeof TargetMappingSchema>
export type TargetFile = TargetMapping['files'][number]
export type TargetEntity = TargetFile['entity']

function loadJson<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new UsageError(t('mappingUnreadable', {what, path, detail: (error as Error).message}), {actions: [t('mappingUnreadableAction')]})
  }
  const r = schema.safeParse(raw)
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ')
    throw new UsageError(t('mappingInvalid', {what, path, detail: issues}), {actions: [t('mappingInvalidAction')]})
  }
  return r.data
}

export function sourceMappingPath(templatesDir: string) {
  return join(templatesDir, 'cityfamily', 'abelium.mapping.json')
}
export function targetMappingPath(templatesDir: string) {
  return join(templatesDir, 'cityfamily', 'cityfamily.mapping.json')
}

export function loadSourceMapping(path: string): SourceMapping {
  const m = loadJson(path, SourceMappingSchema, 'Abelium')
  for (const [name, e] of Object.entries(m.entities) as [EntityName, NonNullable<SourceMapping['entities'][EntityName]>][]) {
    const fields = entityDef(name).fields
    for (const f of Object.keys(e.columns)) {
      if (!(f in fields))
        throw new UsageError(t('mappingNotField', {entity: name, field: f}), {
          actions: [t('mappingKnownFields', {entity: name, fields: Object.keys(fields).join(', ')})],
        })
    }
  }
  return m
}

export function loadTargetMapping(path: string): TargetMapping {
  const m = loadJson(path, TargetMappingSchema, 'CityFamily')
  for (const file of m.files) {
    const known: readonly string[] = file.entity === 'balance' ? DERIVED.balance : Object.keys(entityDef(file.entity).fields)
    for (const c of file.columns) {
      if (c.field === undefined && c.constant === undefined)
        throw new UsageError(t('mappingNoFieldNorConstant', {header: c.header, file: file.file}), {
          actions: [t('mappingNoFieldNorConstantAction')],
        })
      if (c.field !== undefined && !known.includes(c.field))
        throw new UsageError(t('mappingNotCanonical', {entity: file.entity, field: c.field}), {
          actions: [t('mappingKnown', {fields: known.join(', ')})],
        })
    }
  }
  return m
}

/** The ColumnSpec the CSV pipeline wants: canonical field → header and aliases. */
export function columnSpec(mapping: SourceMapping, entity: EntityName): Record<string, {aliases: string[]; required?: boolean}> {
  const e = mapping.entities[entity]
  if (!e) return {}
  const def = entityDef(entity).fields
  const spec: Record<string, {aliases: string[]; required?: boolean}> = {}
  for (const [field, col] of Object.entries(e.columns))
    spec[field] = {aliases: [col.header, ...(col.aliases ?? [])], required: Boolean(def[field]?.required)}
  return spec
}

/** Export label → canonical code of an enum field, or undefined when unknown. */
function enumLookup(def: FieldDef, table: Record<string, string> | undefined): (s: string) => string | undefined {
  const lookup = new Map<string, string>()
  for (const v of def.values ?? []) lookup.set(foldForMatch(v), v)
  for (const [label, code] of Object.entries(table ?? {})) lookup.set(foldForMatch(label), code)
  // Exports repeat a handful of labels millions of times: fold each distinct label once.
  const memo = new Map<string, string | undefined>()
  return (s) => {
    let code = memo.get(s)
    if (code === undefined && !memo.has(s)) {
      code = lookup.get(foldForMatch(s))
      if (memo.size < 10_000) memo.set(s, code)
    }
    return code === undefined || !(def.values ?? []).includes(code) ? undefined : code
  }
}

function enumSchema(def: FieldDef, table: Record<string, string> | undefined) {
  const toCode = enumLookup(def, table)
  return z.string().transform((s, ctx) => {
    const code = toCode(s)
    if (code === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: t('unknownValue', {values: [...new Set([...Object.keys(table ?? {}), ...(def.values ?? [])])].join(', ')}),
        input: s,
      })
      return z.NEVER
    }
    return code
  })
}

function fieldSchema(def: FieldDef, values?: Record<string, string>): z.ZodType {
  let s: z.ZodType
  switch (def.kind) {
    case 'date':
      s = frDate()
      break
    case 'cents':
      s = cents().refine((v) => def.min === undefined || v >= def.min * 100, {error: () => t('atLeast', {min: def.min ?? ''})})
      break
    case 'int':
      s = frDecimal()
        .refine((v) => Number.isInteger(v), {error: () => t('wholeNumber')})
        .refine((v) => (def.min === undefined || v >= def.min) && (def.max === undefined || v <= def.max), {
          error: () => t('between', {min: def.min ?? '', max: def.max ?? ''}),
        })
      break
    case 'bool':
      s = frBoolean()
      break
    case 'enum':
      s = enumSchema(def, values)
      break
    default:
      // Contact fields (phone, email, postal, INSEE) are checked softly by the normaliser:
      // a bad phone clears the value (counted), it does not reject the whole person.
      s = text(textLimits(def))
  }
  return def.required ? s : s.optional()
}

const FAIL = Symbol('fail')

/** The accepting half of fieldSchema as a plain function: the value, or FAIL (zod then reports). */
function fieldConverter(def: FieldDef, values?: Record<string, string>): (s: string) => CanonicalValue | typeof FAIL {
  switch (def.kind) {
    case 'date':
      return (s) => {
        const r = parseFrDate(s)
        return r.ok ? r.value : FAIL
      }
    case 'cents':
      return (s) => {
        const v = parseCents(s)
        return v === undefined || !(def.min === undefined || v >= def.min * 100) ? FAIL : v
      }
    case 'int':
      return (s) => {
        const n = normaliseDecimal(s)
        if (n === undefined || !Number.isFinite(Number(n))) return FAIL
        const v = Number(n)
        return Number.isInteger(v) && (def.min === undefined || v >= def.min) && (def.max === undefined || v <= def.max) ? v : FAIL
      }
    case 'bool':
      return (s) => parseFrBoolean(s) ?? FAIL
    case 'enum': {
      const toCode = enumLookup(def, values)
      return (s) => toCode(s) ?? FAIL
    }
    default: {
      // text(): trimmed, at least one character, within textLimits.
      const limits = textLimits(def)
      return (s) => {
        const v = s.trim()
        return v.length >= 1 && textProblem(v, limits) === undefined ? v : FAIL
      }
    }
  }
}

/**
 * sourceSchema's rows without zod, for big exports (streamCsv's `fastParse`): the same
 * values, fields in the same order, an absent column absent and an empty optional cell
 * undefined; undefined as soon as anything is wrong, so that zod names the problems.
 */
export function fastSourceParser(
  mapping: SourceMapping,
  entity: EntityName,
): (value: Record<string, string | undefined>) => CanonicalRow | undefined {
  const cols = mapping.entities[entity]?.columns ?? {}
  const fields = Object.entries(entityDef(entity).fields).map(([field, def]) => ({
    field,
    required: Boolean(def.required),
    convert: fieldConverter(def, cols[field]?.values),
  }))
  return (value) => {
    const row: CanonicalRow = {}
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!
      const x = value[f.field]
      if (x === undefined) {
        if (f.required) return undefined
        if (f.field in value) row[f.field] = undefined
        continue
      }
      const v = f.convert(x)
      if (v === FAIL) return undefined
      row[f.field] = v
    }
    return row
  }
}

/** zod schema of a source row of an entity (canonical field names, parsed values). */
export function sourceSchema(mapping: SourceMapping, entity: EntityName): z.ZodType<CanonicalRow> {
  const cols = mapping.entities[entity]?.columns ?? {}
  const shape: Record<string, z.ZodType> = {}
  for (const [field, def] of Object.entries(entityDef(entity).fields)) shape[field] = fieldSchema(def, cols[field]?.values)
  return z.object(shape) as unknown as z.ZodType<CanonicalRow>
}

// ---------------------------------------------------------------------------------------
// Target formats

export interface CompiledColumn {
  header: string
  key: string
  format: (row: CanonicalRow) => string | number | undefined
  parse: (cell: string | undefined) => string | number | boolean | undefined
}

function fieldKind(entity: TargetEntity, field: string): FieldDef['kind'] {
  if (entity === 'balance') return field === 'householdId' ? 'id' : 'cents'
  return entityDef(entity).fields[field]?.kind ?? 'text'
}

/** Columns of a target file with their formatter (canonical → cell) and parser (cell → canonical). */
export function compileTargetColumns(mapping: TargetMapping, file: TargetFile): CompiledColumn[] {
  return file.columns.map((c, i) => {
    const key = `c${i}`
    if (c.field === undefined) return {header: c.header, key, format: () => c.constant, parse: () => undefined}
    const field = c.field
    const kind = fieldKind(file.entity, field)
    const fmt =
      c.format ??
      (kind === 'date' ? mapping.formats.date : kind === 'cents' ? mapping.formats.cents : kind === 'bool' ? mapping.formats.bool : '')
    const reverse = new Map(Object.entries(c.values ?? {}).map(([k, v]) => [v, k]))
    const format = (row: CanonicalRow): string | number | undefined => {
      const v = row[field]
      if (v === undefined || v === null || v === '') return undefined
      if (kind === 'date' && fmt === 'dd/mm/yyyy') return `${String(v).slice(8, 10)}/${String(v).slice(5, 7)}/${String(v).slice(0, 4)}`
      if (kind === 'cents') {
        const n = Number(v)
        if (fmt === 'cents') return n
        const euros = `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`
        return fmt === 'euros-comma' ? euros.replace('.', ',') : euros
      }
      if (kind === 'bool') return fmt === 'oui-non' ? (v ? 'oui' : 'non') : fmt === 'true-false' ? (v ? 'true' : 'false') : v ? '1' : '0'
      if (typeof v === 'string' && c.values) return c.values[v] ?? v
      return typeof v === 'number' ? v : String(v)
    }
    const parse = (cell: string | undefined): string | number | boolean | undefined => {
      if (cell === undefined || cell === '') return undefined
      if (kind === 'cents') {
        if (fmt === 'cents') return Number(cell)
        const n = normaliseDecimal(cell)
        return n === undefined ? Number.NaN : Math.round(Number(n) * 100)
      }
      if (kind === 'int') return Number(normaliseDecimal(cell) ?? Number.NaN)
      if (kind === 'date') {
        const r = parseFrDate(cell)
        return r.ok ? r.value : cell
      }
      if (kind === 'bool') return ['1', 'oui', 'true'].includes(cell.toLowerCase())
      return reverse.get(cell) ?? cell
    }
    return {header: c.header, key, format, parse}
  })
}
