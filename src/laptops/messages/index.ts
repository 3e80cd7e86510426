import * as en from './en.js'
import * as fr from './fr.js'
import {defineMessages, language, type Lang, type Message, render} from '../../core/i18n.js'
import {parisDayNumeric, parisTime} from '../../core/paris-time.js'
import type {LaptopState} from '../states.js'

/**
 * The laptops campaign's words, in English and French (the technicians are French: --lang fr
 * or LANG=fr_FR.UTF-8). The catalogs:
 * - LINES (`t`): the human lines of the commands (stdout and stderr);
 * - ERRORS (`msg`): the messages of the errors and refusals, and their actions;
 * - WARNINGS (`w`): the probe's warnings;
 * - STORED (`stored`): the reasons kept in stored data (a snapshot's serial problem, the reason
 *   a probe source failed), kept as codes and params (`StoredText`) and told with `showStored`;
 * - STATES (`stateName`): the lifecycle's states as a person reads them (English keeps the ids).
 * Error codes and error data never depend on the language; command lines stay as they are.
 * Never a beneficiary's name in a message: references and serials only.
 */

type LineKey = keyof typeof en.LINES

export const LINES: {en: Record<LineKey, string>; fr: Record<LineKey, string>} = {en: en.LINES, fr: fr.LINES}

/** The human lines of the laptops commands (stdout and stderr), in English and French. */
export const t = defineMessages(LINES)

type ErrorKey = keyof typeof en.ERRORS

export const ERRORS: {en: Record<ErrorKey, string>; fr: Record<ErrorKey, string>} = {en: en.ERRORS, fr: fr.ERRORS}

/** The messages of the errors and refusals, and their actions (the codes never change). */
export const msg = defineMessages(ERRORS)

export type WarningKey = keyof typeof en.WARNINGS

export const WARNINGS: {en: Record<WarningKey, string>; fr: Record<WarningKey, string>} = {en: en.WARNINGS, fr: fr.WARNINGS}

/** The probe's warnings (stored as codes and params in the snapshot, told in the person's language). */
export const w = defineMessages(WARNINGS)

/** The reasons kept in stored data (a probe snapshot, an error's data): see `StoredText`. */
const STORED_EN = en.STORED
type StoredKey = keyof typeof STORED_EN

export const STORED: {en: Record<StoredKey, string>; fr: Record<StoredKey, string>} = {en: en.STORED, fr: fr.STORED}

/** A stored reason in a language (for tests and for what has to be written as text). */
export const stored = defineMessages(STORED)

/**
 * What stored data keeps of a reason: a code of STORED (or WARNINGS) and its params, a param
 * being a plain value or such a reason in turn; its text is made when it is shown, in the
 * language of the moment. A plain string is a tool's own words, or a sentence written by an
 * alpi older than the codes (an existing store): shown as it was written.
 */
export type StoredText = string | {code: StoredKey | WarningKey; params?: Record<string, string | number | StoredText>}

export function storedCode(code: StoredKey | WarningKey, params: Record<string, string | number | StoredText> = {}): StoredText {
  return {code, params}
}

/** The catalog message of a stored reason (a plain string stays as it is). */
export function storedMessage(v: StoredText): string | Message {
  if (typeof v === 'string') return v
  const params = Object.fromEntries(Object.entries(v.params ?? {}).map(([k, p]) => [k, typeof p === 'number' ? p : storedMessage(p)]))
  return v.code in STORED_EN ? stored.m(v.code as StoredKey, params) : w.m(v.code as WarningKey, params)
}

/** A stored reason as a person reads it, in the current language (or `lang`). */
export function showStored(v: StoredText, lang?: Lang): string {
  return render(storedMessage(v), lang)
}

const PARTS: Record<string, StoredKey> = {battery: 'partBattery', disk: 'partDisk', ram: 'partRam', body: 'partBody'}

/** A part named in a verdict (battery, disk, RAM, body) as a person reads it. */
export function partName(part: string, lang?: Lang): string {
  const key = PARTS[part]
  return key === undefined ? part : stored(key, {}, lang)
}

/** One reason of a verdict: its part and what was found, as `laptops show` and `grade` print it. */
export function reasonLine(r: {part?: string; reason?: StoredText}, lang?: Lang): string {
  const reason = showStored(r.reason ?? '', lang)
  return r.part ? ws('showReason', {part: partName(r.part, lang), reason}, lang) : `  - ${reason}`
}

const STATES_EN = en.STATES

/** The states as a person reads them: English keeps the ids (what `status` and --json show). */
export const STATES: {en: Record<LaptopState, string>; fr: Record<LaptopState, string>} = {en: en.STATES, fr: fr.STATES}

const states = defineMessages(STATES)

export function stateName(state: LaptopState | string, lang?: Lang): string {
  return state in STATES_EN ? states(state as LaptopState, undefined, lang) : state
}

// ---------------------------------------------------------------------------------------------
// Bench station, labels and handover by scan (issue 13). One catalog, `bt`, lines and errors
// together, kept apart from the blocks above so that parallel changes merge cleanly.
// ---------------------------------------------------------------------------------------------

type BenchKey = keyof typeof en.BENCH

export const BENCH: {en: Record<BenchKey, string>; fr: Record<BenchKey, string>} = {en: en.BENCH, fr: fr.BENCH}

/** The bench station's, the labels' and the scanned handover's words. */
export const bt = defineMessages(BENCH)

/*
 * The workshop's day around the lifecycle (issue 12): lists, the details of `show`,
 * allocation by serial, corrections, certificates of disks that leave, lots and donors.
 * Its own catalog so that its lines and errors stay together.
 */
type WorkshopKey = keyof typeof en.WORKSHOP

export const WORKSHOP: {en: Record<WorkshopKey, string>; fr: Record<WorkshopKey, string>} = {en: en.WORKSHOP, fr: fr.WORKSHOP}

/** The workshop's lines and errors (lists, show, corrections, certificates, lots). */
export const ws = defineMessages(WORKSHOP)

// ---- `laptops status` for a manager (issue 12 item 7): weekly throughput, ready stock, stage times, quotas ----
type StatusKey = keyof typeof en.STATUS

export const STATUS: {en: Record<StatusKey, string>; fr: Record<StatusKey, string>} = {en: en.STATUS, fr: fr.STATUS}

/** The manager's status lines and table headers. */
export const st = defineMessages(STATUS)
// ---- end of the status block ----

/** An instant as a person in the Landes reads it: local date and time, Europe/Paris. */
export function localDateTime(iso: string | null | undefined): string {
  if (!iso) return '-'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  // As Intl writes it in each language: "01/12/2026 14:05:09", "01/12/2026, 14:05:09".
  return `${parisDayNumeric(d)}${language() === 'fr' ? '' : ','} ${parisTime(d)}`
}

// ---- Table headers of the laptops commands (and the words in their cells).
type HeaderKey = keyof typeof en.HEADERS

export const HEADERS: {en: Record<HeaderKey, string>; fr: Record<HeaderKey, string>} = {en: en.HEADERS, fr: fr.HEADERS}

/** The table headers of the laptops commands. */
export const th = defineMessages(HEADERS)
