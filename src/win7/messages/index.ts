import {defineMessages} from '../../core/i18n.js'
import {en, type MessageKey} from './en.js'
import {fr} from './fr.js'

export type {MessageKey}

/** A message kept for later (stored data, a result shown afterwards): its key and parameters, never its text. */
export interface StoredMessage {
  code: MessageKey
  params?: Record<string, string | number>
}

/** `t(key, params)`: the text in the current language; `t.m(key, params)`: a message whose text is made when shown. */
export const t = defineMessages({en, fr})
