import {createRequire} from 'node:module'
import {connect} from 'node:net'
import {dirname, join} from 'node:path'
import type {ServiceContext} from '../context/service-context.js'
import {AlpiError, EXIT, NotFound, UsageError} from '../core/errors.js'
import {writeFileAtomic} from '../core/fs.js'
import {laptopsConfig, type LabelSettings} from './config.js'
import {bt} from './messages/index.js'

/**
 * Asset labels (French text, as every document handed to people): asset tag, serial, cosmetic grade, image and a QR code, as a PDF (single labels
 * at the configured size, or A4 sheets of common label stock) or as ZPL sent to a Zebra printer
 * over raw TCP 9100. The QR holds the asset tag (the serial when the laptop has none yet), or a
 * URL from `laptops.labels.qrUrl` with {tag} and {serial}.
 */
export interface Label {
  serial: string
  assetTag: string | null
  grade: string | null
  image: string | null
  qr: string
}

/** A4 sheets of label stock: label size, grid and the sheet's margins, in millimetres. */
export const SHEETS = {
  'avery-l7160': {cols: 3, rows: 7, w: 63.5, h: 38.1, left: 7.2, top: 15.15, pitchX: 66.04, pitchY: 38.1},
  'avery-l7163': {cols: 2, rows: 7, w: 99.1, h: 38.1, left: 4.65, top: 15.15, pitchX: 101.6, pitchY: 38.1},
  'avery-l7165': {cols: 2, rows: 4, w: 99.1, h: 67.7, left: 4.65, top: 13.1, pitchX: 101.6, pitchY: 67.7},
} as const
export type SheetName = keyof typeof SHEETS
export const SHEET_NAMES = Object.keys(SHEETS) as SheetName[]

const MM = 72 / 25.4

export function qrData(l: {serial: string; assetTag: string | null}, template?: string): string {
  const tag = l.assetTag ?? l.serial
  if (!template) return tag
  return template.replace(/\{tag\}/g, encodeURIComponent(tag)).replace(/\{serial\}/g, encodeURIComponent(l.serial))
}

/** The labels of these laptops, in the order given (an unknown serial is refused). */
export async function labelsFor(ctx: ServiceContext, serials: string[]): Promise<Label[]> {
  if (serials.length === 0) throw new UsageError(bt('labelNoSerial'), {actions: ['alpi laptops label PF1ABCDE']})
  const settings = laptopsConfig.read(ctx.config).labels
  const rows = await ctx.store.db
    .selectFrom('laptops')
    .select(['serial', 'asset_tag', 'grade', 'image_name'])
    .where('serial', 'in', serials)
    .execute()
  const bySerial = new Map(rows.map((r) => [r.serial, r]))
  return serials.map((s) => {
    const r = bySerial.get(s)
    if (!r) throw new NotFound(bt('labelNoLaptop', {serial: s}), {actions: [bt('labelNoLaptopAction')]})
    const base = {serial: r.serial, assetTag: r.asset_tag, grade: r.grade, image: r.image_name}
    return {...base, qr: qrData(base, settings.qrUrl)}
  })
}

function fontPath(bold = false): string {
  const root = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'))
  return join(root, 'ttf', bold ? 'DejaVuSans-Bold.ttf' : 'DejaVuSans.ttf')
}

/** The QR code's modules (qrcode's matrix), drawn as vector squares: sharp at any size. */
async function qrMatrix(data: string): Promise<{size: number; dark: (x: number, y: number) => boolean}> {
  const {default: QRCode} = await import('qrcode')
  const qr = QRCode.create(data, {errorCorrectionLevel: 'M'})
  return {size: qr.modules.size, dark: (x, y) => Boolean(qr.modules.get(y, x))}
}

/** One PDF: one page per label (`sheet` unset), or A4 pages of the sheet's grid. */
export async function labelsPdf(labels: Label[], opts: {widthMm: number; heightMm: number; sheet?: SheetName}): Promise<Buffer> {
  const {default: PDFDocument} = await import('pdfkit')
  const sheet = opts.sheet ? SHEETS[opts.sheet] : undefined
  const size: [number, number] = sheet ? [210 * MM, 297 * MM] : [opts.widthMm * MM, opts.heightMm * MM]
  const doc = new PDFDocument({size, margin: 0, autoFirstPage: false, info: {Title: 'Étiquettes', Author: 'ALPI'}})
  doc.registerFont('label', fontPath())
  doc.registerFont('label-bold', fontPath(true))
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const perPage = sheet ? sheet.cols * sheet.rows : 1
  for (const [i, label] of labels.entries()) {
    const slot = i % perPage
    if (slot === 0) doc.addPage({size, margin: 0})
    const box = sheet
      ? {
          x: (sheet.left + (slot % sheet.cols) * sheet.pitchX) * MM,
          y: (sheet.top + Math.floor(slot / sheet.cols) * sheet.pitchY) * MM,
          w: sheet.w * MM,
          h: sheet.h * MM,
        }
      : {x: 0, y: 0, w: size[0], h: size[1]}
    await drawLabel(doc, label, box)
  }
  doc.end()
  return done
}

async function drawLabel(doc: PDFKit.PDFDocument, l: Label, box: {x: number; y: number; w: number; h: number}): Promise<void> {
  const pad = Math.min(box.w, box.h) * 0.07
  const qrSide = Math.min(box.h - 2 * pad, box.w * 0.45)
  const m = await qrMatrix(l.qr)
  // a quiet zone of 2 modules on each side, inside the square
  const cell = qrSide / (m.size + 4)
  const qx = box.x + pad + 2 * cell
  const qy = box.y + (box.h - qrSide) / 2 + 2 * cell
  doc.save().fillColor('black')
  for (let y = 0; y < m.size; y++)
    for (let x = 0; x < m.size; x++) if (m.dark(x, y)) doc.rect(qx + x * cell, qy + y * cell, cell + 0.01, cell + 0.01)
  doc.fill().restore()
  const tx = box.x + pad + qrSide + pad
  const tw = box.x + box.w - pad - tx
  const big = Math.min(box.h / 4.2, 14)
  const small = big * 0.62
  let y = box.y + pad
  const fit = (font: string, size: number, text: string) => {
    // shrink a line until it fits the width: a label never wraps or clips its tag
    doc.font(font).fontSize(size)
    const width = doc.widthOfString(text)
    if (width > tw) doc.fontSize((size * tw) / width)
    doc.text(text, tx, y, {lineBreak: false})
  }
  fit('label-bold', big, l.assetTag ?? l.serial)
  y += big * 1.3
  for (const text of labelLines(l)) {
    if (y + small > box.y + box.h - pad / 2) continue
    fit('label', small, text)
    y += small * 1.3
  }
}

/** The small lines under the tag, in French (a label is read by people): serial, grade, image. */
function labelLines(l: Label): string[] {
  return [`N° série ${l.serial}`, `Grade ${l.grade ?? '-'}`, l.image ?? ''].filter((s) => s !== '')
}

/** A ZPL field's data with ^ ~ _ escaped as hex (^FH: _ followed by two hex digits). */
function zplText(s: string): string {
  return s.replace(/[\^~_\\]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** One label in ZPL II: a QR code (^BQ, model 2, error correction M) and the text lines. */
export function labelZpl(l: Label, opts: {widthMm: number; heightMm: number; dpi: number}): string {
  const dots = (mm: number) => Math.round((mm / 25.4) * opts.dpi)
  const w = dots(opts.widthMm)
  const h = dots(opts.heightMm)
  const pad = Math.round(Math.min(w, h) * 0.07)
  // magnification: the QR code (about 25 to 33 modules for our data) fills the label's height
  const mag = Math.max(1, Math.min(10, Math.floor((h - 2 * pad) / 33)))
  const tx = pad + mag * 33 + pad
  const big = Math.round(h / 5)
  const small = Math.round(big * 0.62)
  const lines = labelLines(l)
  return (
    [
      '^XA',
      '^CI28',
      `^PW${w}`,
      `^LL${h}`,
      // ^BQ draws a few dots above its origin: move it down by one module
      `^FO${pad},${Math.max(0, pad - mag * 2)}^BQN,2,${mag}^FH^FDMA,${zplText(l.qr)}^FS`,
      `^FO${tx},${pad}^A0N,${big},${big}^FH^FD${zplText(l.assetTag ?? l.serial)}^FS`,
      ...lines.map(
        (s, i) => `^FO${tx},${pad + Math.round(big * 1.3) + i * Math.round(small * 1.3)}^A0N,${small},${small}^FH^FD${zplText(s)}^FS`,
      ),
      '^XZ',
    ].join('\n') + '\n'
  )
}

export function parsePrinter(spec: string): {host: string; port: number} {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(spec.trim())
  const port = m?.[2] === undefined ? 9100 : Number(m[2])
  if (!m || port < 1 || port > 65_535) throw new UsageError(bt('printerBadSpec', {printer: spec}), {actions: [bt('printerBadSpecAction')]})
  return {host: m[1]!.replace(/^\[|\]$/g, ''), port}
}

/**
 * Send bytes to a printer's raw port (JetDirect, TCP 9100) and wait for the connection to
 * close cleanly. No answer within `timeoutMs`, a refused or reset connection: PRINTER_UNREACHABLE,
 * never a hang.
 */
export function sendRaw(
  printer: {host: string; port: number},
  data: string | Buffer,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const where = `${printer.host}:${printer.port}`
  return new Promise((resolve, reject) => {
    const socket = connect({host: printer.host, port: printer.port})
    let settled = false
    const fail = (detail: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      reject(
        new AlpiError('PRINTER_UNREACHABLE', bt('printerUnreachable', {printer: where, detail}), EXIT.failure, {
          actions: [bt('printerUnreachableAction', {printer: where})],
          data: {printer: where},
        }),
      )
    }
    const timer = setTimeout(() => fail(bt('printerTimeout', {ms: timeoutMs})), timeoutMs)
    signal?.addEventListener('abort', () => fail('interrupted'), {once: true})
    socket.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message))
    socket.on('connect', () => socket.end(data))
    socket.on('close', (hadError) => {
      if (settled || hadError) return
      settled = true
      clearTimeout(timer)
      resolve()
    })
  })
}

export interface LabelResult {
  labels: Label[]
  format: 'pdf' | 'zpl'
  /** the file written (PDF, or ZPL without a printer) */
  file?: string
  /** the printer the ZPL went to */
  printer?: string
}

export interface LabelOptions {
  serials: string[]
  format: 'pdf' | 'zpl'
  out?: string
  sheet?: SheetName
  printer?: string
}

/** `laptops label`: a PDF file, or ZPL to the printer (or to a file with --out). */
export async function printLabels(ctx: ServiceContext, opts: LabelOptions): Promise<LabelResult> {
  const settings = laptopsConfig.read(ctx.config).labels
  const labels = await labelsFor(ctx, opts.serials)
  if (opts.format === 'pdf') {
    const file = opts.out ?? 'labels.pdf'
    writeFileAtomic(file, await labelsPdf(labels, {widthMm: settings.widthMm, heightMm: settings.heightMm, sheet: opts.sheet}))
    return {labels, format: 'pdf', file}
  }
  const zpl = labels.map((l) => labelZpl(l, settings)).join('')
  const printerSpec = opts.printer ?? (opts.out ? undefined : settings.printer)
  if (!printerSpec) {
    if (!opts.out) throw new UsageError(bt('printerNone'), {actions: [bt('printerNoneAction')]})
    writeFileAtomic(opts.out, zpl)
    return {labels, format: 'zpl', file: opts.out}
  }
  await sendZpl(ctx, zpl, printerSpec, settings)
  return {labels, format: 'zpl', printer: printerSpec}
}

export async function sendZpl(ctx: ServiceContext, zpl: string, printerSpec: string, settings: LabelSettings): Promise<void> {
  await sendRaw(parsePrinter(printerSpec), zpl, settings.timeoutMs, ctx.signal)
}
