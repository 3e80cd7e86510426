import {describe, expect, it} from 'vitest'
import {checkUai, isUai, uaiCheckLetter} from '../../../src/firewalls/uai.js'

describe('UAI check letter', () => {
  it('accepts the published valid vector 0021593W', () => {
    expect(checkUai('0021593W')).toEqual({ok: true, uai: '0021593W'})
  })
  it('refuses 0740003A (the letter must be B)', () => {
    const r = checkUai('0740003A')
    expect(r.ok).toBe(false)
    expect(r.ok ? '' : r.reason).toContain('needs B')
    expect(isUai('0740003B')).toBe(true)
  })
  it('normalises lower case and surrounding spaces', () => {
    expect(checkUai(' 0021593w ')).toEqual({ok: true, uai: '0021593W'})
  })
  it('refuses wrong lengths and shapes', () => {
    for (const bad of ['', '021593W', '00215930W', '00215A3W', '0021593', '0021593WW']) expect(isUai(bad), bad).toBe(false)
    expect(checkUai('021593W')).toMatchObject({ok: false, reason: expect.stringContaining('8 characters')})
  })
  it('uses the 23-letter alphabet without I, O, Q (every remainder maps to a letter)', () => {
    const letters = new Set(Array.from({length: 23}, (_, i) => uaiCheckLetter(String(4000000 + i).padStart(7, '0'))))
    expect(letters.size).toBe(23)
    for (const l of ['I', 'O', 'Q']) expect(letters.has(l)).toBe(false)
  })
})
