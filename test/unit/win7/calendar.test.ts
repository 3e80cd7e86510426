import {describe, expect, it} from 'vitest'
import {frenchPublicHolidays, isWorkingDay, nextWorkingDay} from '../../../src/win7/calendar.js'

describe('French working days', () => {
  it('knows the movable holidays of 2026 (Easter 5 April)', () => {
    const h = frenchPublicHolidays(2026)
    expect(h.has('2026-04-06')).toBe(true) // lundi de Pâques
    expect(h.has('2026-05-14')).toBe(true) // Ascension
    expect(h.has('2026-05-25')).toBe(true) // lundi de Pentecôte
    expect(h.has('2026-07-14')).toBe(true)
    expect(h.size).toBe(11)
  })

  it.each([
    ['2026-01-10', '2026-01-12'], // Saturday → Monday
    ['2026-04-03', '2026-04-03'], // Friday
    ['2026-04-04', '2026-04-07'], // Saturday, then Easter Monday → Tuesday
    ['2026-12-25', '2026-12-28'], // Christmas (Friday) → Monday
  ])('first working day from %s is %s', (from, expected) => {
    expect(nextWorkingDay(from)).toBe(expected)
  })

  it('weekends are not working days', () => {
    expect(isWorkingDay('2026-01-17')).toBe(false)
    expect(isWorkingDay('2026-01-16')).toBe(true)
  })
})
