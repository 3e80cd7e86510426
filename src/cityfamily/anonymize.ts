import {createHmac, randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {z} from 'zod'
import {foldForMatch, parseFrDate} from '../csv/fields.js'
import {streamCsv} from '../csv/read.js'
import {createCsvWriter} from '../csv/write.js'
import type {FileContext} from './engine.js'
import {UsageError} from '../core/errors.js'
import {loadSourceMapping, sourceMappingPath} from './mapping.js'
import {ENTITY_ORDER, entityDef, type EntityName} from './model.js'
import {t} from './messages/index.js'
import {checkOutNotSource, withStagedFolder} from './output.js'

/**
 * Make an export safe to hand over (training, bug reports): same files, same headers, same
 * ids and amounts, but names, addresses, phones, emails and numbers replaced by consistent
 * pseudonyms (the same name gives the same pseudonym in every file, so duplicates stay
 * duplicates), every date shifted by one offset (periods and ages stay coherent), and
 * health free text removed. Output: UTF-8, ';', CRLF, files 0600.
 */
export interface AnonymizeOptions {
  dir: string
  out: string
  /** Secret for the pseudonyms and the date shift; random when not given (not reversible). */
  secret?: string
  sourceMapping?: string
}

export interface AnonymizeResult {
  source: string
  target: string
  files: {file: string; rows: number}[]
}

const PSEUDO_LAST = [
  'Aulne',
  'Bouleau',
  'Cèdre',
  'Charme',
  'Chêne',
  'Cormier',
  'Érable',
  'Frêne',
  'Hêtre',
  'If',
  'Mélèze',
  'Merisier',
  'Noyer',
  'Orme',
  'Peuplier',
  'Pin',
  'Platane',
  'Saule',
  'Sorbier',
  'Tilleul',
  'Tremble',
  'Arbousier',
  'Micocoulier',
  'Noisetier',
]
const PSEUDO_FIRST = [
  'Alex',
  'Ariel',
  'Camille',
  'Charlie',
  'Claude',
  'Dominique',
  'Eden',
  'Élie',
  'Gaby',
  'Lou',
  'Maxime',
  'Morgan',
  'Noa',
  'Sacha',
  'Stéphane',
  'Yannick',
]

export async function anonymizeExport(ctx: FileContext, opts: AnonymizeOptions): Promise<AnonymizeResult> {
  if (!existsSync(opts.dir)) throw new UsageError(t('dirMissing', {dir: opts.dir}), {actions: [t('dirMissingAction')]})
  checkOutNotSource(opts.dir, opts.out)
  const mapping = loadSourceMapping(opts.sourceMapping ?? sourceMappingPath(ctx.templatesDir))
  const secret = opts.secret ?? randomBytes(32).toString('hex')
  const h = (kind: string, value: string) =>
    createHmac('sha256', secret)
      .update(`${kind}\u0000${foldForMatch(value).replace(/[^\p{L}\p{N}]+/gu, '')}`)
      .digest()
  const pick = <T>(xs: readonly T[], d: Buffer) => xs[d.readUInt32BE(0) % xs.length]!
  const num = (d: Buffer, n: number) => String(d.readBigUInt64BE(0) % 10n ** BigInt(n)).padStart(n, '0')
  const shiftDays = -(createHmac('sha256', secret).update('shift').digest().readUInt32BE(0) % 180) - 30

  const replace: Record<string, (v: string) => string> = {
    lastName: (v) => `${pick(PSEUDO_LAST, h('last', v))}-${num(h('last2', v), 3)}`,
    firstName: (v) => pick(PSEUDO_FIRST, h('first', v)),
    address: (v) => `${1 + (h('addr', v).readUInt16BE(0) % 150)} rue des Essences`,
    phone: (v) => `05 00 ${num(h('tel', v), 6).replace(/(\d{2})(?=\d)/g, '$1 ')}`,
    email: (v) => `p${num(h('mail', v), 8)}@exemple.invalid`,
    number: (v) => num(h('num', v), Math.max(4, Math.min(12, v.replace(/\D/g, '').length || 7))),
    freeText: () => '',
  }
  const shiftDate = (v: string) => {
    const r = parseFrDate(v)
    if (!r.ok) return ''
    const d = new Date(Date.parse(r.value) + shiftDays * 86_400_000).toISOString().slice(0, 10)
    return /^\d{4}-/.test(v.trim()) ? d : `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`
  }

  // Written aside and swapped in: the folder holds exactly this copy, or what it held before.
  const owned = new Set(Object.values(mapping.entities).map((e) => e!.file))
  const files: AnonymizeResult['files'] = []
  await withStagedFolder(opts.out, {owns: (n) => owned.has(n), log: (l) => ctx.out.debug(l)}, async (dir) => {
    for (const entity of ENTITY_ORDER) {
      const m = mapping.entities[entity]
      if (!m || !existsSync(join(opts.dir, m.file))) continue
      const def = entityDef(entity as EntityName)
      let writer: Awaited<ReturnType<typeof createCsvWriter>> | undefined
      let writerPromise: ReturnType<typeof createCsvWriter> | undefined
      let transform: ((cells: string[]) => string[]) | undefined
      const shape: Record<string, z.ZodType> = {}
      for (const f of Object.keys(m.columns)) shape[f] = z.string().optional()
      const columns = Object.fromEntries(
        Object.entries(m.columns).map(([f, c]) => [f, {aliases: [c.header, ...(c.aliases ?? [])], required: false}]),
      )
      for await (const item of streamCsv({
        source: join(opts.dir, m.file),
        schema: z.object(shape),
        columns,
        encoding: mapping.encoding,
        delimiter: mapping.delimiter,
        signal: ctx.signal,
        onHeader: (meta) => {
          const ops = meta.headers.map((header) => {
            const field = Object.entries(meta.columns).find(([, hd]) => hd === header)?.[0]
            const fd = field ? def.fields[field] : undefined
            if (!fd) return (v: string) => v
            if (fd.kind === 'date') return shiftDate
            if (fd.personal === 'freeText' && fd.required) return () => '(retiré)'
            if (fd.personal) return replace[fd.personal === 'city' ? 'address' : fd.personal]!
            return (v: string) => v
          })
          // Only the header's columns are kept: stray cells of a ragged row could hold anything.
          transform = (cells) =>
            ops.map((op, i) => {
              const c = cells[i] ?? ''
              return c.trim() === '' ? '' : op(c.trim())
            })
          writerPromise = createCsvWriter(join(dir, m.file), {
            columns: meta.headers.map((hd, i) => ({key: String(i), header: hd})),
            delimiter: ';',
            eol: '\r\n',
            mode: 0o600,
          })
        },
      })) {
        writer ??= await writerPromise
        const cells = item.ok ? item.cells : item.reject.raw
        if (cells.length === 0) continue
        await writer!.write(transform!(cells))
      }
      writer ??= await writerPromise
      const res = await writer!.end()
      files.push({file: m.file, rows: res.rows})
    }
  })
  // The shift is not returned: with it, dates could be shifted back.
  return {source: opts.dir, target: opts.out, files}
}
