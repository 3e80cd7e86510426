import * as en from './en.js'
import * as fr from './fr.js'
import {defineMessages} from '../../core/i18n.js'

/** Messages of the CLI frame itself (campaigns keep their own catalogs). */
export const t = defineMessages({en: en.MESSAGES, fr: fr.MESSAGES})

/** Table headers of the frame's commands. */
export const th = defineMessages({en: en.HEADERS, fr: fr.HEADERS})
