import {describe, expect, it} from 'vitest'
import {storedSummary, summaryText} from '../../../src/audit/journal.js'
import {coreMessages} from '../../../src/core/messages/index.js'

const catalog = coreMessages.summaries.catalog

/** Every param a template names, with a value: 2 for a plural selector (so "other" is read), a word otherwise. */
function sampleParams(template: string): Record<string, string | number> {
  const params: Record<string, string | number> = {}
  for (const m of template.matchAll(/\{(\w+), plural,/g)) params[m[1]!] = 2
  for (const m of template.matchAll(/\{(\w+)\}/g)) params[m[1]!] ??= 'X1'
  return params
}

const stored = (code: string, params: Record<string, string | number>) => JSON.stringify({code, params})

describe('audit summaries: a code and params, told in the language of the reader', () => {
  it('every code reads in both languages, differently, with every placeholder filled', () => {
    for (const [code, en] of Object.entries(catalog.en)) {
      const s = stored(code, sampleParams(en))
      const textEn = summaryText(s, 'en')
      const textFr = summaryText(s, 'fr')
      expect(textEn, code).not.toMatch(/[{}]/)
      expect(textFr, code).not.toMatch(/[{}]/)
      expect(textFr, code).not.toBe(textEn)
    }
  })

  it('French plurals: one for 0 and 1, other from 2 (the plural rules of the language)', () => {
    const one = stored('laptopsAllocated', {n: 1, site: 'SMALAH'})
    const many = stored('laptopsAllocated', {n: 3, site: 'SMALAH'})
    expect(summaryText(one, 'fr')).toBe('1 ordinateur attribué au site SMALAH')
    expect(summaryText(many, 'fr')).toBe('3 ordinateurs attribués au site SMALAH')
    expect(summaryText(one, 'en')).toBe('1 laptop allocated to site SMALAH')
    expect(summaryText(many, 'en')).toBe('3 laptops allocated to site SMALAH')
    const imp = stored('csvImport', {file: 'laptops.csv', rows: 8, inserted: 1, updated: 0, unchanged: 2, rejected: 5})
    expect(summaryText(imp, 'fr')).toBe('laptops.csv : 8 lignes lues, 1 nouvelle, 0 modifiée, 2 inchangées, 5 rejetées')
    expect(summaryText(imp, 'en')).toBe('laptops.csv: 8 rows read, 1 new, 0 updated, 2 unchanged, 5 rejected')
    expect(summaryText(stored('win7MemberSet', {member: 'M1', n: 0, fields: ''}), 'fr')).toBe('adhérent M1 : rien de modifié')
    expect(summaryText(stored('win7MemberSet', {member: 'M1', n: 2, fields: 'email, phone'}), 'en')).toBe('member M1: email, phone set')
  })

  it('states stay ids in both languages (core cannot read a campaign catalog; ids are what --json and --state say)', () => {
    const moved = stored('laptopMoved', {from: 'received', to: 'diagnosed'})
    expect(summaryText(moved, 'en')).toBe('laptop received -> diagnosed')
    expect(summaryText(moved, 'fr')).toBe("état de l'ordinateur : received -> diagnosed")
  })

  it('an entry written by an older alpi keeps its English sentence, shown as written in either language', () => {
    for (const old of [
      'laptops.csv: 8 rows read, 2 new laptops, 0 updated, 1 unchanged, 5 rejected',
      '3 laptop(s) allocated to site SMALAH',
      '{not json',
      '{"code": broken',
      '{"code":42}',
      '',
    ]) {
      expect(storedSummary(old)).toBe(old)
      expect(summaryText(old, 'fr')).toBe(old)
      expect(summaryText(old, 'en')).toBe(old)
    }
  })

  it('a code this alpi does not know (written by a newer one) shows as the code, never fails', () => {
    expect(storedSummary('{"code":"futureThing","params":{"n":1}}')).toEqual({code: 'futureThing', params: {n: 1}})
    expect(summaryText('{"code":"futureThing","params":{"n":1}}', 'fr')).toBe('futureThing')
  })
})
