import {describe, expect, it} from 'vitest'
import {frDate, frDateTime} from '../../../src/core/french.js'
import {parisClock, parisDay, parisDayNumeric, parisTime, type ParisClock} from '../../../src/core/paris-time.js'

/**
 * The Paris clock (src/core/paris-time.ts) computes Europe/Paris by the EU's summer-time rule
 * instead of building an Intl formatter (20 ms of ICU at start-up). Intl, with the time-zone
 * database Node ships, is the reference: both must agree at every hour for a century, and on
 * each side of every change of time.
 */
const INTL = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
})

function intlClock(at: Date): ParisClock {
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(INTL.formatToParts(at).find((p) => p.type === type)!.value)
  return {year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second')}
}

const HOUR = 3_600_000

/** 01:00 UTC on the last Sunday of March and October: when Paris changes time. */
function changes(year: number): number[] {
  return [2, 9].map((month) => {
    const last = new Date(Date.UTC(year, month + 1, 0, 1))
    return last.getTime() - last.getUTCDay() * 24 * HOUR
  })
}

describe('the Paris clock', () => {
  it('agrees with Intl every 5 h 7 min 23 s from 1996 to 2100 (every hour of the day, minutes and seconds)', () => {
    const disagreements: string[] = []
    // A stride that is no whole number of hours walks through every hour, minute and second.
    for (let t = Date.UTC(1996, 0, 1); t < Date.UTC(2100, 0, 1); t += 5 * HOUR + 7 * 60_000 + 23_000) {
      const at = new Date(t)
      const ours = parisClock(at)
      const theirs = intlClock(at)
      if (JSON.stringify(ours) !== JSON.stringify(theirs))
        disagreements.push(`${at.toISOString()}: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`)
      if (disagreements.length > 5) break
    }
    expect(disagreements).toEqual([])
  })

  it('changes time exactly when Paris does, each spring and autumn to 2100', () => {
    const disagreements: string[] = []
    for (let year = 1996; year < 2100; year++) {
      for (const change of changes(year)) {
        for (const t of [change - 1000, change, change + 1000, change - HOUR, change + HOUR]) {
          const at = new Date(t)
          if (JSON.stringify(parisClock(at)) !== JSON.stringify(intlClock(at))) disagreements.push(at.toISOString())
        }
      }
    }
    expect(disagreements).toEqual([])
    // 2026: 02:00 becomes 03:00 on 29 March, 03:00 becomes 02:00 on 25 October
    expect(parisTime(new Date('2026-03-29T00:59:59Z'))).toBe('01:59:59')
    expect(parisTime(new Date('2026-03-29T01:00:00Z'))).toBe('03:00:00')
    expect(parisTime(new Date('2026-10-25T00:59:59Z'))).toBe('02:59:59')
    expect(parisTime(new Date('2026-10-25T01:00:00Z'))).toBe('02:00:00')
  })

  it('reads instants before 1996 through Intl (summer time then ended in September)', () => {
    for (const iso of [
      '1990-09-30T00:30:00Z',
      '1990-09-30T01:30:00Z',
      '1990-10-15T12:00:00Z',
      '1985-07-01T12:00:00Z',
      '1970-01-01T00:00:00Z',
    ]) {
      expect(parisClock(new Date(iso))).toEqual(intlClock(new Date(iso)))
    }
    // 15 October 1990: winter time already (UTC+1), where today's rule would say summer time
    expect(parisTime(new Date('1990-10-15T12:00:00Z'))).toBe('13:00:00')
  })

  it('writes days and times as alpi shows them', () => {
    expect(parisDay(new Date('2026-11-30T23:30:00Z'))).toBe('2026-12-01')
    expect(parisDay(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31')
    expect(parisDay(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01')
    expect(parisDayNumeric(new Date('2026-07-01T13:05:09Z'))).toBe('01/07/2026')
    expect(parisTime(new Date('2026-07-01T13:05:09Z'))).toBe('15:05:09')
    expect(() => parisClock(new Date('nope'))).toThrow(RangeError)
  })

  it('gives French documents the dates Intl gave them (with "1er" for the first)', () => {
    const long = new Intl.DateTimeFormat('fr-FR', {timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric'})
    const time = new Intl.DateTimeFormat('fr-FR', {timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', second: '2-digit'})
    // Noon of every day of 2026, and an evening instant of every month to 2030
    const instants = [
      ...Array.from({length: 365}, (_, d) => new Date(Date.UTC(2026, 0, 1 + d, 11, 4, 5))),
      ...Array.from({length: 60}, (_, m) => new Date(Date.UTC(2026, m, 1, 22, 30))),
    ]
    for (const at of instants) {
      const intl = long.format(at).replace(/^1 /, '1er ')
      expect(frDate(at)).toBe(intl)
      expect(frDateTime(at)).toBe(`${intl} à ${time.format(at)}`)
    }
  })
})
