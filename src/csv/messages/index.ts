import * as en from './en.js'
import * as fr from './fr.js'
import {defineMessages} from '../../core/i18n.js'

/** Messages of the CSV pipeline (reject reasons go into the rejects file, read by technicians). */
export const t = defineMessages({en: en.MESSAGES, fr: fr.MESSAGES})
