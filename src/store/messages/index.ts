import * as en from './en.js'
import * as fr from './fr.js'
import {defineMessages} from '../../core/i18n.js'

/** Messages of the store (opening, schema, locks) and of the audit journal's checks. */
export const t = defineMessages({en: en.MESSAGES, fr: fr.MESSAGES})
