import type {Message} from '../core/i18n.js'
import {t} from './messages/index.js'

/**
 * oclif's parse errors are English sentences of a fixed form (@oclif/core's parser/errors.js and
 * validate.js); they become catalog messages here, so that `--lang fr` reads French from the
 * very first error. A form not known here is kept as oclif wrote it.
 */
const FORMS: [RegExp, (m: RegExpExecArray) => Message][] = [
  [
    /^Missing (\d+) required args?:\n([\s\S]*?)(?:\n\nNote:[\s\S]*)?$/,
    (m) =>
      t.m('parseMissingArgs', {
        n: Number(m[1]),
        list: m[2]!
          .split('\n')
          .map((l) => l.trim().split(/\s+/)[0])
          .filter(Boolean)
          .join(', '),
      }),
  ],
  [/^Missing (\d+) required args?$/, (m) => t.m('parseMissingArgs', {n: Number(m[1]), list: ''})],
  [/^Unexpected arguments?: (.*)$/, (m) => t.m('parseUnexpectedArgs', {list: m[1]!})],
  [/^Nonexistent flags?: (.*)$/, (m) => t.m('parseNonexistentFlags', {n: m[1]!.split(',').length, list: m[1]!})],
  [/^Expected --([\w-]+)=(.*) to be one of: (.*)$/, (m) => t.m('parseFlagOption', {flag: m[1]!, value: m[2]!, list: m[3]!})],
  [/^Expected (.*) to be one of: (.*)$/, (m) => t.m('parseArgOption', {value: m[1]!, list: m[2]!})],
  [/^Missing required flag ([\w-]+)$/, (m) => t.m('parseMissingFlag', {flag: m[1]!})],
  [/^(--\S+) cannot also be provided when using --([\w-]+)$/, (m) => t.m('parseExclusive', {flag: m[1]!, other: m[2]!})],
  [/^All of the following must be provided when using --([\w-]+): (.*)$/, (m) => t.m('parseAllOf', {flag: m[1]!, list: m[2]!})],
  [/^One of the following must be provided when using --([\w-]+): (.*)$/, (m) => t.m('parseOneOf', {flag: m[1]!, list: m[2]!})],
  [/^Only the following can be provided when using --([\w-]+): (.*)$/, (m) => t.m('parseOnly', {flag: m[1]!, list: m[2]!})],
  [/^Exactly one of the following must be provided: (.*)$/, (m) => t.m('parseExactlyOne', {list: m[1]!})],
  [/^Flag --([\w-]+) can only be specified once$/, (m) => t.m('parseOnce', {flag: m[1]!})],
  [/^Flag --([\w-]+) expects one of these values: (.*)$/, (m) => t.m('parseExpectsOneOf', {flag: m[1]!, list: m[2]!})],
  [/^Flag --([\w-]+) expects a value$/, (m) => t.m('parseExpectsValue', {flag: m[1]!})],
  [/^Unexpected flag (.*)$/, (m) => t.m('parseUnexpectedFlag', {flag: m[1]!})],
]

const ANSI = /\u001B\[[0-9;]*m/g

function one(text: string): Message | string {
  for (const [re, make] of FORMS) {
    const m = re.exec(text)
    if (m) return make(m)
  }
  return text
}

/** A parse error's text as catalog messages (one per reason), or the text itself when unknown. */
export function parseErrorTexts(message: string): (Message | string)[] {
  const text = message
    .replace(ANSI, '')
    .replace(/^Error: /, '')
    .replace(/\nSee more help with --help\s*$/, '')
    .trim()
  const listed = /^The following errors? occurred:\n([\s\S]*)$/.exec(text)
  if (listed)
    return listed[1]!
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map(one)
  return [one(text)]
}
