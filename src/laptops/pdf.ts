import {frTypography} from '../core/french.js'
import {writeFileAtomic} from '../core/fs.js'
import {usePdfFonts} from '../core/pdf-font.js'

/**
 * Small PDF writer over pdfkit for the campaign's French documents (receipts, certificates).
 * DejaVu, embedded (core/pdf-font.ts): every glyph prints, "€" and French no-break spaces included;
 * every text gets French typography (core/french.ts).
 * The document (a few tens of KiB) is drawn in memory, then written by the one atomic
 * writer: all bytes or an error, never a short or half PDF under its name, never through a
 * symlink planted there. Mode 0600 by default: receipts and certificates name people.
 */
export interface PdfBlock {
  kind: 'title' | 'heading' | 'text' | 'small' | 'fields' | 'signatures' | 'space' | 'mono'
  text?: string
  fields?: [string, string][]
  signatures?: string[]
}

export async function writePdf(
  path: string,
  info: {title: string; author?: string; date?: Date},
  blocks: PdfBlock[],
  opts: {mode?: number} = {},
): Promise<void> {
  const {default: PDFDocument} = await import('pdfkit')
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {Title: info.title, Author: info.author ?? 'ALPI', CreationDate: info.date ?? new Date()},
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  usePdfFonts(doc)
  const width = doc.page.width - 112
  const fr = (text: string | undefined) => frTypography(text ?? '')
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        doc.font('bold').fontSize(16).text(fr(b.text), {align: 'center'}).moveDown(1)
        break
      case 'heading':
        doc.moveDown(0.5).font('bold').fontSize(11).text(fr(b.text)).moveDown(0.3)
        break
      case 'text':
        doc.font('regular').fontSize(10).text(fr(b.text), {align: 'justify'}).moveDown(0.5)
        break
      case 'small':
        doc.font('regular').fontSize(8).text(fr(b.text)).moveDown(0.3)
        break
      case 'mono':
        doc
          .font('mono')
          .fontSize(7)
          .text(b.text ?? '')
          .moveDown(0.3)
        break
      case 'space':
        doc.moveDown(1)
        break
      case 'fields': {
        // the label column is as wide as its longest label (a French label is long), within bounds
        doc.font('bold').fontSize(10)
        const labelW = Math.min(260, Math.max(170, ...(b.fields ?? []).map(([k]) => Math.ceil(doc.widthOfString(fr(`${k} :`))) + 1)))
        for (const [k, v] of b.fields ?? []) {
          const y = doc.y
          doc
            .font('bold')
            .fontSize(10)
            .text(fr(`${k} :`), 56, y, {width: labelW})
          const yAfterLabel = doc.y
          doc
            .font('regular')
            .fontSize(10)
            .text(fr(v) || '-', 60 + labelW, y, {width: width - labelW - 4})
          doc.x = 56
          doc.y = Math.max(doc.y, yAfterLabel)
        }
        doc.moveDown(0.5)
        break
      }
      case 'signatures': {
        const names = b.signatures ?? []
        const colW = width / Math.max(1, names.length)
        const y = doc.y + 10
        names.forEach((n, i) => {
          doc
            .font('bold')
            .fontSize(10)
            .text(fr(n), 56 + i * colW, y, {width: colW - 10})
          doc
            .font('regular')
            .fontSize(9)
            .text(fr('Date et signature :'), 56 + i * colW, y + 28, {width: colW - 10})
          doc.rect(56 + i * colW, y + 42, colW - 20, 60).stroke()
        })
        doc.x = 56
        doc.y = y + 110
        break
      }
    }
  }
  doc.end()
  writeFileAtomic(path, await done, {mode: opts.mode ?? 0o600})
}
