import * as en from './en.js'
import * as fr from './fr.js'
import {defineMessages} from '../../core/i18n.js'

/** CLI lines of the remote module (hosts commands). */
export const t = defineMessages({en: en.MESSAGES, fr: fr.MESSAGES})
