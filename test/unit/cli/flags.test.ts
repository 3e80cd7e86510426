import {describe, expect, it} from 'vitest'
import {parseDurationDaysFlag, parseIntegerFlag, parseIsoDateFlag, parseSinceFlag, unwrapFlagParseError} from '../../../src/cli/flags.js'
import {setLanguage} from '../../../src/core/i18n.js'

setLanguage('en')

// The shared flag parsers (issue 10 item 17); the binary is tested in test/reliability/input-usage.test.ts.
describe('flag value parsers', () => {
  it('integers: decimal digits only, safe, within bounds', () => {
    expect(parseIntegerFlag('--n', '42', 1, 100)).toBe(42)
    expect(parseIntegerFlag('--n', ' +7 ')).toBe(7)
    for (const bad of ['abc', '1.5', '1e3', '0x10', '', '99999999999999999999'])
      expect(() => parseIntegerFlag('--n', bad)).toThrow(/--n: ".*" is not a whole number/)
    expect(() => parseIntegerFlag('--n', '0', 1)).toThrow(/--n: 0 is too small \(at least 1\)/)
    expect(() => parseIntegerFlag('--n', '101', 1, 100)).toThrow(/at most 100/)
  })

  it('dates: YYYY-MM-DD that exists (never moved to the next month)', () => {
    expect(parseIsoDateFlag('--from', '2028-02-29')).toBe('2028-02-29')
    for (const bad of ['2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10'])
      expect(() => parseIsoDateFlag('--from', bad)).toThrow(/not a day of the calendar/)
    for (const bad of ['07/04/2026', '2026-4-7', 'tomorrow']) expect(() => parseIsoDateFlag('--from', bad)).toThrow(/not a date YYYY-MM-DD/)
  })

  it('durations: days, months, years, between 1 day and 100 years', () => {
    expect([
      parseDurationDaysFlag('--d', '3y'),
      parseDurationDaysFlag('--d', '12m'),
      parseDurationDaysFlag('--d', '90'),
      parseDurationDaysFlag('--d', '90d'),
    ]).toEqual([1095, 360, 90, 90])
    expect(() => parseDurationDaysFlag('--d', '99999999y')).toThrow(/longer than the maximum \(36500 days\)/)
    expect(() => parseDurationDaysFlag('--d', '0')).toThrow(/shorter than one day/)
    expect(() => parseDurationDaysFlag('--d', '3 ans')).toThrow(/not a duration/)
  })

  it('since: a date, a date-time with zone, or a duration back from now', () => {
    const now = new Date('2026-11-28T10:00:00Z')
    expect(parseSinceFlag('--since', '7d', now)).toBe('2026-11-21T10:00:00.000Z')
    expect(parseSinceFlag('--since', '12h', now)).toBe('2026-11-27T22:00:00.000Z')
    expect(parseSinceFlag('--since', '2026-11-01', now)).toBe('2026-11-01T00:00:00.000Z')
    expect(parseSinceFlag('--since', '2026-11-01T08:00:00+01:00', now)).toBe('2026-11-01T07:00:00.000Z')
    expect(() => parseSinceFlag('--since', '2026-02-30', now)).toThrow(/not a day/)
    expect(() => parseSinceFlag('--since', '2026-02-30T08:00:00Z', now)).toThrow(/not a day/)
    expect(() => parseSinceFlag('--since', 'last week', now)).toThrow(/neither a date nor a duration/)
  })

  it('unwraps the "Parsing --flag" wrapper oclif puts around a parser error', () => {
    expect(unwrapFlagParseError('Parsing --count \n\tExpected an integer but received: abc\nSee more help with --help')).toEqual({
      flag: '--count',
      message: 'Expected an integer but received: abc',
    })
    expect(unwrapFlagParseError('something else')).toBeUndefined()
  })
})
