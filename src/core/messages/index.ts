import * as en from './en.js'
import * as fr from './fr.js'
import {defineMessages} from '../i18n.js'

/** The catalogs of core, one per part; each file of core takes its own (`const t = coreMessages.fs`). */
export const coreMessages = {
  audit: defineMessages({en: en.AUDIT, fr: fr.AUDIT}),
  fs: defineMessages({en: en.FS, fr: fr.FS}),
  doctor: defineMessages({en: en.DOCTOR, fr: fr.DOCTOR}),
  core: defineMessages({en: en.CORE, fr: fr.CORE}),
}

/** Messages of the audit journal's checks and anchors. */
export const t = coreMessages.audit
