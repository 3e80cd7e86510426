/**
 * UAI (Unité Administrative Immatriculée, ex-RNE): 7 digits + a check letter, the letter
 * being "ABCDEFGHJKLMNPRSTUVWXYZ"[first 7 digits mod 23] (I, O and Q are left out).
 * The first 3 digits are the department (040 = Landes).
 */
import {t} from './messages/index.js'

export const UAI_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ'

export type UaiCheck = {ok: true; uai: string} | {ok: false; reason: string}

export function uaiCheckLetter(digits: string): string {
  return UAI_ALPHABET[Number.parseInt(digits, 10) % 23]!
}

/** Validate and normalise (trim, upper case) a UAI; the reason says what is wrong. */
export function checkUai(raw: string): UaiCheck {
  const v = raw.trim().toUpperCase()
  if (v.length !== 8) return {ok: false, reason: t('uaiLength', {length: v.length})}
  if (!/^\d{7}[A-Z]$/.test(v)) return {ok: false, reason: t('uaiShape')}
  const expected = uaiCheckLetter(v.slice(0, 7))
  if (v[7] !== expected) return {ok: false, reason: t('uaiCheckLetter', {digits: v.slice(0, 7), expected})}
  return {ok: true, uai: v}
}

export function isUai(raw: string): boolean {
  return checkUai(raw).ok
}
