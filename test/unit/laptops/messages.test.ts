import {afterEach, describe, expect, it} from 'vitest'
import {type AlpiError} from '../../../src/core/errors.js'
import {setLanguage} from '../../../src/core/i18n.js'
import {assertTransition, LAPTOP_STATES} from '../../../src/laptops/states.js'
import {
  BENCH,
  ERRORS,
  LINES,
  msg,
  showStored,
  stateName,
  STATES,
  stored,
  storedCode,
  STORED,
  WARNINGS,
} from '../../../src/laptops/messages/index.js'
import {probeWarningText} from '../../../src/laptops/probe.js'
import {serialProblem, serialProblemCode} from '../../../src/laptops/model.js'

const CATALOGS = {LINES, ERRORS, WARNINGS, STORED, STATES, BENCH} as Record<
  string,
  {en: Record<string, string>; fr: Record<string, string>}
>

/**
 * French texts that are the English ones by nature, per catalog: nothing to translate in
 * them. Keep this list short; anything else equal in both languages is a forgotten line.
 */
const SAME_IN_BOTH: Record<string, string[]> = {
  LINES: [],
  ERRORS: [],
  WARNINGS: [],
  STORED: [],
  STATES: [],
  // the bench station's checklist items and a status that French writes the same way
  BENCH: ['check_webcam', 'check_wifi', 'check_ports', 'status_attention'],
}

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort()

afterEach(() => setLanguage(undefined))

describe('laptops message catalogs', () => {
  for (const [name, c] of Object.entries(CATALOGS)) {
    it(`${name}: every key in both languages, with the same {params}`, () => {
      expect(Object.keys(c.fr).sort()).toEqual(Object.keys(c.en).sort())
      for (const key of Object.keys(c.en)) {
        expect(c.fr[key], `${name}.${key} in French`).toBeTypeOf('string')
        expect(c.fr[key]!.trim(), `${name}.${key} in French`).not.toBe('')
        expect(placeholders(c.fr[key]!), `${name}.${key}`).toEqual(placeholders(c.en[key]!))
      }
    })

    it(`${name}: no French text left in English (except ${SAME_IN_BOTH[name]!.length} listed)`, () => {
      const same = Object.keys(c.en).filter((k) => c.fr[k] === c.en[k])
      expect(same.sort()).toEqual([...SAME_IN_BOTH[name]!].sort())
    })
  }

  it('every lifecycle state has a name in both languages; English keeps the ids', () => {
    expect(Object.keys(STATES.en).sort()).toEqual([...LAPTOP_STATES].sort())
    for (const s of LAPTOP_STATES) expect(stateName(s, 'en')).toBe(s)
    expect(LAPTOP_STATES.map((s) => stateName(s, 'fr'))).toEqual([
      'reçu',
      'diagnostiqué',
      'effacé',
      'imagé',
      'prêt',
      'attribué',
      'remis',
      'en attente de pièce',
      'réformé',
      'retourné',
      'perdu ou volé',
    ])
    expect(stateName('not-a-state', 'fr')).toBe('not-a-state')
  })
})

describe('the transition refusal in both languages', () => {
  const refusal = (lang: 'en' | 'fr', from: (typeof LAPTOP_STATES)[number], to: (typeof LAPTOP_STATES)[number]) => {
    setLanguage(lang)
    try {
      assertTransition('PF1ABCDE', from, to)
    } catch (error) {
      return error as AlpiError
    }
    throw new Error('no refusal')
  }

  it('French names the states in French, keeps the command lines, the code and the data', () => {
    const en = refusal('en', 'received', 'returned')
    const fr = refusal('fr', 'received', 'returned')
    expect(en.message).toBe(
      'Laptop PF1ABCDE is received: it must be diagnosed, then wiped, then imaged, then ready, then allocated before it can be returned',
    )
    expect(fr.message).toBe(
      "L'ordinateur PF1ABCDE est reçu : il doit être diagnostiqué, puis effacé, puis imagé, puis prêt, puis attribué avant de pouvoir être retourné",
    )
    expect(fr.code).toBe('LAPTOP_TRANSITION_REFUSED')
    expect(fr.code).toBe(en.code)
    expect(fr.data).toEqual(en.data)
    expect(fr.data).toEqual({
      serial: 'PF1ABCDE',
      from: 'received',
      to: 'returned',
      missing: ['diagnosed', 'wiped', 'imaged', 'ready', 'allocated'],
    })
    expect(fr.actions).toHaveLength(en.actions.length)
    expect(fr.actions[0]).toBe('diagnostiqué : alpi laptops grade SERIAL (diagnostic : probe puis grade)')
    expect(fr.actions[1]).toBe('effacé : alpi laptops wipe --device DEV --serial SERIAL')
    expect(en.actions[1]).toBe('wiped: alpi laptops wipe --device DEV --serial SERIAL')
    // every command line of the English actions is in the French ones unchanged
    for (const [i, a] of en.actions.entries()) {
      const command = /alpi laptops [^()]*[^ ()]/.exec(a)?.[0]
      if (command) expect(fr.actions[i]).toContain(command)
    }
  })

  it('a transition that can never happen, in French', () => {
    const fr = refusal('fr', 'scrapped', 'ready')
    expect(fr.message).toBe("L'ordinateur PF1ABCDE est réformé : il ne pourra jamais être prêt")
    expect(fr.actions).toEqual(['Un ordinateur réformé le reste ; prenez-en un autre.'])
    expect(fr.data).toEqual(refusal('en', 'scrapped', 'ready').data)
  })
})

describe('stored reasons: codes and params, told in the language of the moment', () => {
  it('a snapshot keeps the serial problem as a code; it is shown in French or English', () => {
    const code = serialProblemCode('Default string')!
    expect(code).toEqual({code: 'serialPlaceholder', params: {serial: 'Default string'}})
    expect(JSON.parse(JSON.stringify(code))).toEqual(code)
    expect(showStored(code, 'fr')).toBe(
      "« Default string » est une valeur par défaut du micrologiciel, pas un numéro de série : lisez l'étiquette sous l'ordinateur",
    )
    expect(showStored(code, 'en')).toMatch(/placeholder/)
    for (const s of ['', 'AAAAAAA', 'PF1<ABC>']) expect(showStored(serialProblemCode(s)!, 'fr')).toBe(serialProblem(s, 'fr'))
  })

  it('nested reasons are told in the same language, tool output is left as it is', () => {
    const reason = storedCode('dmiNoFacts', {reason: storedCode('exitDetail', {code: 1, detail: '/dev/mem: Permission denied'})})
    expect(showStored(reason, 'en')).toBe('dmidecode gave no system facts: exit 1: /dev/mem: Permission denied')
    expect(showStored(reason, 'fr')).toBe("dmidecode n'a donné aucune information système : code de sortie 1 : /dev/mem: Permission denied")
    expect(showStored(storedCode('smartNoJson', {code: 2}), 'fr')).toBe("smartctl n'a pas répondu en JSON (code 2)")
    expect(showStored('/dev/vda: Unable to detect device type', 'fr')).toBe('/dev/vda: Unable to detect device type')
  })

  it("a warning is stored as a code; an older snapshot's English sentence is shown as it was written", () => {
    const warning = {
      source: 'smartctl',
      code: 'noSmart' as const,
      params: {disk: '/dev/sda', where: storedCode('here'), reason: storedCode('smartNoJson', {code: 2})},
    }
    expect(probeWarningText(warning, 'fr')).toBe(
      "pas de données SMART pour /dev/sda sur cette machine (smartctl n'a pas répondu en JSON (code 2))",
    )
    expect(probeWarningText(warning, 'en')).toBe('no SMART data for /dev/sda on this machine (no JSON from smartctl (exit 2))')
    expect(probeWarningText({source: 'smartctl', message: 'no SMART data for /dev/sda on this machine (exit 1)'}, 'fr')).toBe(
      'no SMART data for /dev/sda on this machine (exit 1)',
    )
    expect(stored('serialEmpty', {}, 'fr')).toBe('le numéro de série est vide')
  })

  it('the language of the run picks the catalog; a language given wins', () => {
    setLanguage('fr')
    expect(msg('noLaptop', {serial: 'X1'})).toBe('Aucun ordinateur avec le numéro de série X1')
    expect(msg('noLaptop', {serial: 'X1'}, 'en')).toBe('No laptop with serial X1')
    expect(serialProblem('')).toBe('le numéro de série est vide')
    setLanguage('en')
    expect(msg('noLaptop', {serial: 'X1'})).toBe('No laptop with serial X1')
  })
})
