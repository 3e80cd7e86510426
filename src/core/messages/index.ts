import * as en from './en.js'
import * as fr from './fr.js'
import {defineMessages} from '../i18n.js'

/** The catalogs of core, one per part; each file of core takes its own (`const t = coreMessages.fs`). */
export const coreMessages = {
  audit: defineMessages({en: en.AUDIT, fr: fr.AUDIT}),
  fs: defineMessages({en: en.FS, fr: fr.FS}),
  doctor: defineMessages({en: en.DOCTOR, fr: fr.DOCTOR}),
  core: defineMessages({en: en.CORE, fr: fr.CORE}),
  /** The audit journal's summaries, kept in the journal as a code and its params (see src/audit/journal.ts). */
  summaries: defineMessages({en: en.AUDIT_SUMMARIES, fr: fr.AUDIT_SUMMARIES}),
}

/** A code of the audit journal's summaries. */
export type AuditSummaryCode = keyof typeof en.AUDIT_SUMMARIES

/** Messages of the audit journal's checks and anchors. */
export const t = coreMessages.audit
