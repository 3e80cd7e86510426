import * as en from './en.js'
import * as fr from './fr.js'
import {defineMessages} from '../i18n.js'

/** Messages of the audit journal's checks and anchors. */
export const t = defineMessages({en: en.MESSAGES, fr: fr.MESSAGES})
