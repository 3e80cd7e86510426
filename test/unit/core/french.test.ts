import {describe, expect, it} from 'vitest'
import {frDate, frDateTime, frEuros, frNumber, frTypography, frTypographyHtml, NBSP, NNBSP} from '../../../src/core/french.js'

describe('French for documents', () => {
  it('writes days as "1er décembre 2026", a calendar day never moved by the time zone', () => {
    expect(frDate('2026-12-01')).toBe('1er décembre 2026')
    expect(frDate('2026-12-11')).toBe('11 décembre 2026')
    expect(frDate('2026-12-21')).toBe('21 décembre 2026')
    expect(frDate('2026-03-29')).toBe('29 mars 2026')
    // an instant is the day it is in Paris: 23:30 UTC on 1 December is already 2 December there
    expect(frDate('2026-12-01T23:30:00.000Z')).toBe('2 décembre 2026')
    expect(frDate(new Date('2026-07-14T21:59:00Z'))).toBe('14 juillet 2026')
    expect(() => frDate('not a date')).toThrow(RangeError)
  })

  it('gives times in Paris time, summer and winter', () => {
    expect(frDateTime('2026-12-01T13:05:09Z')).toBe('1er décembre 2026 à 14:05:09')
    expect(frDateTime('2026-07-01T13:05:09Z')).toBe('1er juillet 2026 à 15:05:09')
    // 23:30 UTC on 30 November is already the first of December in Paris
    expect(frDateTime('2026-11-30T23:30:00Z')).toBe('1er décembre 2026 à 00:30:00')
  })

  it('writes numbers with a decimal comma and euros with "€"', () => {
    expect(frNumber(1234567.25)).toBe(`1${NNBSP}234${NNBSP}567,25`)
    expect(frNumber(0.15, 1)).toBe('0,2')
    expect(frEuros(1234550)).toBe(`12${NNBSP}345,50${NBSP}€`)
    expect(frEuros(30000)).not.toContain('EUR')
  })

  it('puts no-break spaces before : ; ? ! » and after «, only where a space was', () => {
    expect(frTypography('Date : « Lieu » ; vraiment ? oui !')).toBe(
      `Date${NBSP}: «${NBSP}Lieu${NBSP}» ;`.replace(' ;', `${NNBSP};`) + ` vraiment${NNBSP}? oui${NNBSP}!`,
    )
    expect(frTypography('à 14:05, https://alpi.fr/a?b=1 &amp; c')).toBe('à 14:05, https://alpi.fr/a?b=1 &amp; c')
  })

  it('in an HTML page, changes the text and never a tag or a style', () => {
    const html = '<style>.warn { color: #a40; }</style><p class="a : b">Total : 3 ; fin</p>'
    expect(frTypographyHtml(html)).toBe(`<style>.warn { color: #a40; }</style><p class="a : b">Total${NBSP}: 3${NNBSP}; fin</p>`)
  })
})
