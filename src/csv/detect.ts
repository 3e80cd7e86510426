import {createReadStream} from 'node:fs'
import iconv from 'iconv-lite'

/**
 * Encodings the pipeline reads. Anything not valid UTF-8 is taken as Windows-1252 (Excel
 * "CSV" on Windows). UTF-16 is recognised by its BOM only (Excel's "Unicode text" export).
 */
export type CsvEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be'
export type CsvDelimiter = ';' | ',' | '\t'
export const DELIMITERS: readonly CsvDelimiter[] = [';', ',', '\t']

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])

/** The UTF-16 encoding announced by a byte order mark, if any. */
export function utf16Bom(buf: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le'
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be'
  return undefined
}

export function hasUtf8Bom(buf: Uint8Array): boolean {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf
}

/**
 * Is this sample valid UTF-8? `complete` says whether the sample is the whole input:
 * if not, a multi-byte sequence cut at the end of the sample is not an error.
 */
export function isValidUtf8(buf: Uint8Array, complete = true): boolean {
  const decoder = new TextDecoder('utf-8', {fatal: true})
  try {
    decoder.decode(buf, {stream: !complete})
    return true
  } catch {
    return false
  }
}

/** Valid UTF-8 → utf-8, otherwise windows-1252 (where 0x80-0x9F are € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ). */
export function detectEncoding(sample: Uint8Array, complete = true): CsvEncoding {
  return isValidUtf8(sample, complete) ? 'utf-8' : 'windows-1252'
}

/** Read a whole file as a stream (no full copy in memory) and tell whether it is valid UTF-8. */
export async function fileIsValidUtf8(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', {fatal: true})
  try {
    for await (const chunk of createReadStream(path, {highWaterMark: 1 << 20})) {
      decoder.decode(chunk as Buffer, {stream: true})
    }
    decoder.decode()
    return true
  } catch (error) {
    if (error instanceof TypeError) return false
    throw error
  }
}

/** Decode a sample for sniffing (BOM stripped). */
export function decodeSample(sample: Uint8Array, encoding: CsvEncoding): string {
  return iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength), encoding)
}

/**
 * Find the delimiter among ; , and tab from the first lines of the text, counting only
 * outside quotes. The best candidate appears in the header line and the same number of
 * times on the most following lines; ties go to ';' (French Excel), then ',', then tab.
 * A file with a single column has no delimiter in its lines: ',' is returned.
 */
export function detectDelimiter(text: string, complete = true, maxLines = 20): CsvDelimiter {
  const counts: Record<CsvDelimiter, number>[] = []
  let current = {';': 0, ',': 0, '\t': 0}
  let inQuotes = false
  let lineHasContent = false
  let i = 0
  for (; i < text.length && counts.length < maxLines; i++) {
    const c = text[i]
    if (c === '"') {
      // An escaped quote ("") toggles twice: fine.
      inQuotes = !inQuotes
      lineHasContent = true
    } else if (!inQuotes && (c === '\n' || c === '\r')) {
      if (lineHasContent) counts.push(current)
      current = {';': 0, ',': 0, '\t': 0}
      lineHasContent = false
    } else {
      lineHasContent = true
      if (!inQuotes && (c === ';' || c === ',' || c === '\t')) current[c]++
    }
  }
  // The last line counts only when we saw the whole text (otherwise it may be cut).
  if (lineHasContent && complete && i >= text.length && counts.length < maxLines) counts.push(current)
  if (counts.length === 0 && lineHasContent) counts.push(current)
  if (counts.length === 0) return ','
  const header = counts[0]
  let best: CsvDelimiter | undefined
  let bestScore = [-1, -1]
  for (const d of DELIMITERS) {
    if (header[d] === 0) continue
    const consistent = counts.slice(1).filter((c) => c[d] === header[d]).length
    const score = [consistent, header[d]]
    if (score[0] > bestScore[0] || (score[0] === bestScore[0] && score[1] > bestScore[1])) {
      best = d
      bestScore = score
    }
  }
  return best ?? ','
}

export {UTF8_BOM}
