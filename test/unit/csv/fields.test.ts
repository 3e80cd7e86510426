import {beforeAll, describe, expect, it} from 'vitest'
import {type z} from 'zod'
import {setLanguage} from '../../../src/core/i18n.js'
import {
  cents,
  email,
  foldForMatch,
  foldHeader,
  frBoolean,
  frDate,
  frDecimal,
  frPhone,
  inseeCode,
  normaliseDecimal,
  postalCode,
  text,
} from '../../../src/csv/fields.js'

beforeAll(() => setLanguage('en'))

const ok = <T>(s: z.ZodType<T>, v: unknown) => {
  const r = s.safeParse(v)
  if (!r.success) throw new Error(`expected ${JSON.stringify(v)} to pass: ${r.error.issues[0].message}`)
  return r.data
}
const ko = (s: z.ZodType, v: unknown) => {
  const r = s.safeParse(v)
  expect(r.success, `expected ${JSON.stringify(v)} to fail`).toBe(false)
  return r.success ? '' : r.error.issues[0].message
}

describe('text()', () => {
  it('trims, refuses empty and undefined (required), optional() accepts undefined', () => {
    expect(ok(text(), '  Dell  ')).toBe('Dell')
    expect(ko(text(), undefined)).toBe('value required')
    expect(ko(text(), '   ')).toBe('value required')
    expect(ok(text().optional(), undefined)).toBeUndefined()
    expect(ko(text({max: 3}), 'abcd')).toMatch(/longer than 3/)
  })
})

describe('frDate()', () => {
  it.each([
    ['01/02/2024', '2024-02-01'],
    ['1/2/2024', '2024-02-01'],
    ['29/02/2024', '2024-02-29'],
    ['2024-02-01', '2024-02-01'],
    ['01.02.2024', '2024-02-01'],
    ['01/02/2024 00:00:00', '2024-02-01'],
    ['2024-02-01T10:00:00Z', '2024-02-01'],
  ])('reads %s as %s', (input, expected) => {
    expect(ok(frDate(), input)).toBe(expected)
  })
  it.each(['31/02/2024', '29/02/2023', '00/01/2024', '12/13/2024', '2024-02-30'])('rejects the impossible date %s', (input) => {
    // The cell (a birth date, perhaps) is not quoted: the message may reach a terminal.
    expect(ko(frDate(), input)).toBe('impossible date (no such day)')
  })
  it.each(['2024/13', 'demain', '01-02-24', '45321'])('rejects the non-date %s', (input) => {
    expect(ko(frDate(), input)).toMatch(/invalid date/)
  })
})

describe('frDecimal() and cents()', () => {
  it.each([
    ['1 234,56', 1234.56],
    ['1\u00a0234,56', 1234.56],
    ['1\u202f234,56', 1234.56],
    ['1234.56', 1234.56],
    ['1.234,56', 1234.56],
    ['1,234.56', 1234.56],
    ['-12,5', -12.5],
    ['0,5', 0.5],
    [',5', 0.5],
    ['12', 12],
    ['1.234.567', 1234567],
  ])('frDecimal reads %s as %s', (input, expected) => {
    expect(ok(frDecimal(), input)).toBe(expected)
  })
  it.each(['abc', '1,2,3', '12,', '1 2 3,4.5', '--1', ''])('frDecimal rejects %j', (input) => {
    expect(frDecimal().safeParse(input).success).toBe(false)
  })
  it('normaliseDecimal keeps the digits exact', () => {
    expect(normaliseDecimal('0,10')).toBe('0.10')
  })
  it.each([
    ['12,50', 1250],
    ['12,5', 1250],
    ['1 234,56 €', 123456],
    ['€ 3', 300],
    ['0,07', 7],
    ['-4,20', -420],
    ['19.99', 1999],
  ])('cents reads %s as %d', (input, expected) => {
    expect(ok(cents(), input)).toBe(expected)
  })
  it.each(['12,505', 'douze', '1e3'])('cents rejects %s', (input) => {
    expect(ko(cents(), input)).toMatch(/invalid amount/)
  })
})

describe('frBoolean()', () => {
  it.each([
    ['oui', true],
    ['OUI', true],
    ['o', true],
    ['x', true],
    ['X', true],
    ['1', true],
    ['true', true],
    ['Vrai', true],
    ['non', false],
    ['N', false],
    ['0', false],
    ['false', false],
    ['faux', false],
  ])('%s → %s', (input, expected) => {
    expect(ok(frBoolean(), input)).toBe(expected)
  })
  it('rejects other words; empty is required unless optional/default', () => {
    expect(ko(frBoolean(), 'peut-être')).toMatch(/invalid yes\/no/)
    expect(ko(frBoolean(), undefined)).toBe('value required')
    expect(ok(frBoolean().optional().default(false), undefined)).toBe(false)
  })
})

describe('normalisers', () => {
  it.each([
    ['0558123456', '05 58 12 34 56'],
    ['05.58.12.34.56', '05 58 12 34 56'],
    ['05-58-12-34-56', '05 58 12 34 56'],
    ['+33 5 58 12 34 56', '05 58 12 34 56'],
    ['+33 (0)5 58 12 34 56', '05 58 12 34 56'],
    ['0033558123456', '05 58 12 34 56'],
    ['558123456', '05 58 12 34 56'],
    ['+32 2 555 12 34', '+3225551234'],
  ])('frPhone %s → %s', (input, expected) => {
    expect(ok(frPhone(), input)).toBe(expected)
  })
  it.each(['12345', '05 58 12 34', 'appeler mairie', '+33 5 58 12 34 56 78'])('frPhone rejects %s', (input) => {
    expect(ko(frPhone(), input)).toMatch(/invalid phone/)
  })
  it('email lowercases and validates', () => {
    expect(ok(email(), ' Jeanne.Test@Example.ORG ')).toBe('jeanne.test@example.org')
    expect(ko(email(), 'jeanne@')).toMatch(/invalid email/)
    expect(ko(email(), 'a b@example.org')).toMatch(/invalid email/)
    expect(ko(email(), 'a@example..org')).toMatch(/invalid email/)
  })
  it('postalCode: 5 digits, 4 digits get the zero Excel dropped', () => {
    expect(ok(postalCode(), '40000')).toBe('40000')
    expect(ok(postalCode(), '1000')).toBe('01000')
    expect(ko(postalCode(), '400')).toMatch(/invalid postal code/)
    expect(ko(postalCode(), '4000A')).toMatch(/invalid postal code/)
  })
  it('inseeCode: 5 characters including 2A/2B', () => {
    expect(ok(inseeCode(), '40192')).toBe('40192')
    expect(ok(inseeCode(), '2a004')).toBe('2A004')
    expect(ok(inseeCode(), '2B033')).toBe('2B033')
    expect(ok(inseeCode(), '1053')).toBe('01053')
    expect(ko(inseeCode(), '2C004')).toMatch(/invalid INSEE/)
    expect(ko(inseeCode(), '401923')).toMatch(/invalid INSEE/)
  })
  it('foldForMatch and foldHeader', () => {
    expect(foldForMatch('  Élodie   CŒUR-de-Lion ')).toBe('elodie coeur-de-lion')
    expect(foldHeader("Date d'entrée")).toBe('datedentree')
    expect(foldHeader('N° de série')).toBe('numerodeserie')
    for (const h of ['N° inventaire', 'Nº inventaire', 'No inventaire', 'Num. inventaire', 'Numéro inventaire', 'NUMERO_INVENTAIRE'])
      expect(foldHeader(h)).toBe('numeroinventaire')
    expect(foldHeader('Nom')).toBe('nom')
    expect(foldHeader('Note')).toBe('note')
    expect(foldHeader('date_entree')).toBe(foldHeader('Date-Entrée'))
  })
})
