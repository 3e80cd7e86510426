import {distance} from 'fastest-levenshtein'
import {foldForMatch} from '../csv/fields.js'

/**
 * Person matching helpers. Names are compared folded (case, accents, ligatures, apostrophes,
 * hyphens and spaces ignored), last and first names separately: a pair scores the lower of
 * the two similarities, so twins "Léa"/"Léo" with the same last name do not look alike.
 */
export function matchKey(s: string | undefined): string {
  return foldForMatch(s ?? '').replace(/[^\p{L}\p{N}]+/gu, '')
}

/** 1 − levenshtein / longer length, on folded keys. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1
  const len = Math.max(a.length, b.length)
  if (len === 0) return 1
  return 1 - distance(a, b) / len
}

export function nameScore(a: {last: string; first: string}, b: {last: string; first: string}): number {
  return Math.min(similarity(a.last, b.last), similarity(a.first, b.first))
}

/** Names as kept: trimmed, inner spaces collapsed, accents and case as typed. */
export function cleanName(s: string): string {
  return s.replace(/\s+/g, ' ').trim()
}
