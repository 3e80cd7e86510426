import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {
  compileTargetColumns,
  loadSourceMapping,
  loadTargetMapping,
  sourceMappingPath,
  sourceSchema,
  targetMappingPath,
} from '../../../src/cityfamily/mapping.js'
import {canonicalSchema, ENTITIES, ENTITY_ORDER} from '../../../src/cityfamily/model.js'
import {UsageError} from '../../../src/core/errors.js'
import {TEMPLATES_DIR, tempDir} from '../../helpers/context.js'

const source = loadSourceMapping(sourceMappingPath(TEMPLATES_DIR))
const target = loadTargetMapping(targetMappingPath(TEMPLATES_DIR))
let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('mapping files', () => {
  it('the shipped Abelium mapping covers every entity and only canonical fields', () => {
    expect(Object.keys(source.entities).sort()).toEqual([...ENTITY_ORDER].sort())
  })

  it('parses a French row: dd/mm/yyyy, decimal comma, labels translated to canonical codes', () => {
    const s = sourceSchema(source, 'invoice')
    expect(s.parse({id: 'FA1', householdId: 'F1', date: '05/03/2025', label: 'Cantine – 3,20 €', amount: '1 234,50'})).toEqual({
      id: 'FA1',
      householdId: 'F1',
      date: '2025-03-05',
      label: 'Cantine – 3,20 €',
      amount: 123450,
    })
    const m = sourceSchema(source, 'membership')
    // Given the label as an export writes it (case and accents vary), when parsed, then the canonical code.
    expect(m.parse({householdId: 'F1', personId: 'I1', role: 'ENFANT', custody: 'garde alternee', legalGuardian: 'Non'})).toMatchObject({
      role: 'enfant',
      custody: 'alternee',
      legalGuardian: false,
    })
    const bad = m.safeParse({householdId: 'F1', personId: 'I1', role: 'Oncle'})
    expect(bad.success).toBe(false)
  })

  it('refuses impossible values: 31/02, a capacity of 5 (agrément at most 4), a negative amount', () => {
    expect(sourceSchema(source, 'quotient').safeParse({id: 'Q', householdId: 'F', startDate: '31/02/2025', value: '500'}).success).toBe(
      false,
    )
    expect(
      sourceSchema(source, 'childminder').safeParse({id: 'A', lastName: 'X', firstName: 'Y', agrementNumber: '1', capacity: '5'}).success,
    ).toBe(false)
    expect(
      sourceSchema(source, 'childminder').safeParse({id: 'A', lastName: 'X', firstName: 'Y', agrementNumber: '1', capacity: '4'}).success,
    ).toBe(true)
    expect(sourceSchema(source, 'payment').safeParse({id: 'P', householdId: 'F', date: '01/01/2025', amount: '-3,00'}).success).toBe(false)
  })

  it('canonical schemas accept normalised rows and refuse raw ones', () => {
    expect(
      canonicalSchema('person').safeParse({
        id: 'I1',
        lastName: 'Lœuillet',
        firstName: 'Zoé',
        birthDate: '2015-01-02',
        phone: '05 58 12 34 56',
      }).success,
    ).toBe(true)
    expect(canonicalSchema('person').safeParse({id: 'I1', lastName: 'X', firstName: 'Y', birthDate: '02/01/2015'}).success).toBe(false)
    expect(canonicalSchema('person').safeParse({id: 'I1', lastName: 'X', firstName: 'Y', phone: '0558123456'}).success).toBe(false)
    expect(Object.values(ENTITIES).filter((e) => 'health' in e && e.health).length).toBe(1)
  })

  it('target columns format and parse back: cents as euros, ISO dates, booleans 0/1, codes translated', () => {
    const file = target.files.find((f) => f.entity === 'membership')!
    const cols = compileTargetColumns(target, file)
    const row = {householdId: 'F1', personId: 'I1', role: 'enfant', custody: 'alternee', legalGuardian: false, parentalAuthority: true}
    const cells = cols.map((c) => c.format(row))
    expect(cells.slice(0, 6)).toEqual(['F1', 'I1', 'ENF', 'ALTERNEE', '0', '1'])
    expect(cols[2]!.parse('ENF')).toBe('enfant')
    const inv = compileTargetColumns(
      target,
      target.files.find((f) => f.entity === 'invoice')!,
    )
    expect(inv.map((c) => c.format({id: 'FA1', householdId: 'F1', date: '2025-01-31', amount: 123405}))).toEqual([
      'FA1',
      'F1',
      '2025-01-31',
      undefined,
      '1234.05',
    ])
    expect(inv[4]!.parse('1234.05')).toBe(123405)
  })

  it('a mapping naming an unknown field is a usage error that lists the known fields', () => {
    const dir = tempDir('alpi-cf-map-')
    cleanup = dir.cleanup
    const bad = {files: [{entity: 'person', file: 'p.csv', columns: [{header: 'X', field: 'shoeSize'}]}]}
    writeFileSync(join(dir.path, 'bad.json'), JSON.stringify(bad))
    expect(() => loadTargetMapping(join(dir.path, 'bad.json'))).toThrow(UsageError)
    expect(() => loadTargetMapping(join(dir.path, 'bad.json'))).toThrow(/shoeSize/)
    writeFileSync(join(dir.path, 'broken.json'), '{not json')
    expect(() => loadSourceMapping(join(dir.path, 'broken.json'))).toThrow(UsageError)
  })
})
