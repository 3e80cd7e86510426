import {defineMessages} from '../../core/i18n.js'
import {en, type MessageKey} from './en.js'
import {fr} from './fr.js'

export type {MessageKey}

/** `t(key, params)`: the text in the current language; `t.m(key, params)`: a message whose text is made when shown. */
export const t = defineMessages({en, fr})
