import {createReadStream} from 'node:fs'
import iconv from 'iconv-lite'

/**
 * Encodings the pipeline reads. Anything not valid UTF-8 is taken as Windows-1252 (Excel
 * "CSV" on Windows). UTF-16 is recognised by its BOM only (Excel's "Unicode text" export).
 */
export type CsvEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be'
export type CsvDelimiter = ';' | ',' | '\t'
export const DELIMITERS: readonly CsvDelimiter[] = [';', ',', '\t']

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

/**
 * Bytes that are not UTF-8, kept through the parser: each becomes the private-use character
 * U+F700+byte (U+F780-U+F7FF), so that a row holding them can be rejected, or read as
 * Windows-1252 byte by byte, once the parser has cut the records.
 */
export const ESCAPE_BASE = 0xf700
/** A cell holding bytes that were not UTF-8. */
export const ESCAPED = /[\uf780-\uf7ff]/
/** A cell holding a real non-ASCII character (a valid UTF-8 sequence in the bytes). */
export const NON_ASCII_UTF8 = /[\u0080-\uf77f\uf800-\uffff]/

let cp1252Chars: string[] | undefined

/** The escapes of a cell read as Windows-1252 (byte 0xE9 → é). */
export function unescapeAsCp1252(cell: string): string {
  const table = (cp1252Chars ??= Array.from({length: 128}, (_, i) => iconv.decode(Buffer.from([0x80 + i]), 'windows-1252')))
  return cell.replace(/[\uf780-\uf7ff]/g, (c) => table[c.charCodeAt(0) - ESCAPE_BASE - 0x80]!)
}

/** Length of the UTF-8 sequence led by `b` and the allowed range of its first continuation byte. */
function leadInfo(b: number): [number, number, number] | undefined {
  if (b >= 0xc2 && b <= 0xdf) return [2, 0x80, 0xbf]
  if (b === 0xe0) return [3, 0xa0, 0xbf]
  if (b === 0xed) return [3, 0x80, 0x9f]
  if (b >= 0xe1 && b <= 0xef) return [3, 0x80, 0xbf]
  if (b === 0xf0) return [4, 0x90, 0xbf]
  if (b >= 0xf1 && b <= 0xf3) return [4, 0x80, 0xbf]
  if (b === 0xf4) return [4, 0x80, 0x8f]
  return undefined
}

/**
 * UTF-8 bytes in, UTF-8 bytes out, each byte that is not part of a valid sequence replaced
 * by its escape (see ESCAPE_BASE); a leading BOM is dropped. Counts the valid non-ASCII
 * sequences (`multibyte`: evidence that the writer meant UTF-8) and the invalid bytes.
 * Sequences cut between two chunks are carried over.
 */
export class Utf8Escaper {
  multibyte = 0
  invalid = 0
  private carry: Buffer | undefined
  private start = true

  constructor(private readonly output = true) {}

  write(chunk: Buffer, end = false): Buffer {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk
    this.carry = undefined
    let i = 0
    if (this.start) {
      if (buf.length < 3 && !end) {
        this.carry = Buffer.from(buf)
        return buf.subarray(0, 0)
      }
      this.start = false
      if (hasUtf8Bom(buf)) i = 3
    }
    let from = i
    const parts: Buffer[] = []
    const n = buf.length
    while (i < n) {
      const b = buf[i]!
      if (b < 0x80) {
        i++
        continue
      }
      const info = leadInfo(b)
      let len = 0 // 0: invalid byte at i; -1: cut at the end of the chunk
      if (info) {
        len = info[0]
        for (let k = 1; k < info[0]; k++) {
          if (i + k >= n) {
            len = end ? 0 : -1
            break
          }
          const c = buf[i + k]!
          const [lo, hi] = k === 1 ? [info[1], info[2]] : [0x80, 0xbf]
          if (c < lo || c > hi) {
            len = 0
            break
          }
        }
      }
      if (len === -1) {
        this.carry = Buffer.from(buf.subarray(i))
        break
      }
      if (len > 0) {
        this.multibyte++
        i += len
        continue
      }
      this.invalid++
      if (this.output) {
        if (i > from) parts.push(buf.subarray(from, i))
        const cp = ESCAPE_BASE + b
        parts.push(Buffer.from([0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]))
      }
      i++
      from = i
    }
    if (!this.output) return buf.subarray(0, 0)
    const stop = this.carry ? n - this.carry.length : n
    if (parts.length === 0) return buf.subarray(from, stop)
    if (stop > from) parts.push(buf.subarray(from, stop))
    return Buffer.concat(parts)
  }
}

/**
 * How a whole input that is not valid UTF-8 should be read: 'windows-1252' when no byte
 * sequence of it is UTF-8 (a consistent Excel export), 'mixed' when it holds both valid
 * UTF-8 characters (or a UTF-8 BOM) and invalid bytes (rows of another encoding pasted in).
 */
export function classifyInvalid(bom: boolean, multibyte: number): 'windows-1252' | 'mixed' {
  return bom || multibyte > 0 ? 'mixed' : 'windows-1252'
}

/** Count the valid non-ASCII UTF-8 sequences and invalid bytes of a whole file, streamed. */
export async function scanFileUtf8(path: string): Promise<{multibyte: number; invalid: number}> {
  const scan = new Utf8Escaper(false)
  for await (const chunk of createReadStream(path, {highWaterMark: 1 << 20})) scan.write(chunk as Buffer)
  scan.write(Buffer.alloc(0), true)
  return {multibyte: scan.multibyte, invalid: scan.invalid}
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
