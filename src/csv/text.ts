import {t} from './messages/index.js'

// The text rule without zod: flags and services check text with it, and a command that only
// parses flags must not load zod (start-up time, bench/cli-startup.mjs). fields.ts re-exports it.

/** The length limit of a text field that names none. */
export const DEFAULT_TEXT_MAX = 200

export interface TextOptions {
  /** Most characters (default DEFAULT_TEXT_MAX). */
  max?: number
  /** Free text that may hold line breaks and tabs (remarks, descriptions); other fields are one line. */
  multiline?: boolean
}

/** Control characters: none in a one-line field (NUL, tab, CR, LF, U+2028...); in free text only tab, CR and LF. */
const SINGLE_LINE_FORBIDDEN = /[\p{Cc}\u2028\u2029]/u
const MULTILINE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u

/**
 * Why a text value is refused (too long, a control character), or undefined when it is
 * fine. Never quotes the value (it may be personal): names the character and its position.
 */
export function textProblem(value: string, opts: TextOptions = {}): string | undefined {
  const max = opts.max ?? DEFAULT_TEXT_MAX
  if (value.length > max) return t('textTooLong', {max})
  const m = (opts.multiline ? MULTILINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN).exec(value)
  if (m) {
    const code = `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
    return t(opts.multiline ? 'textControlMultiline' : 'textControl', {code, name: CONTROL_NAMES[m[0]] ?? code, at: m.index + 1})
  }
  return undefined
}

const CONTROL_NAMES: Record<string, string> = {
  '\u0000': 'NUL',
  '\t': 'TAB',
  '\n': 'LF',
  '\r': 'CR',
  '\u2028': 'LINE SEPARATOR',
  '\u2029': 'PARAGRAPH SEPARATOR',
}
