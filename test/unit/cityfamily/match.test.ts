import {describe, expect, it} from 'vitest'
import {matchPersons, type Merge} from '../../../src/cityfamily/engine.js'
import type {CanonicalRow} from '../../../src/cityfamily/model.js'
import {nameScore, matchKey} from '../../../src/cityfamily/names.js'

function run(rows: CanonicalRow[], threshold = 0.8) {
  const merges: Merge[] = []
  const canon = matchPersons(
    rows.map((value, i) => ({row: i + 2, value})),
    threshold,
    merges,
  )
  return {canon, merges}
}
const p = (id: string, lastName: string, firstName: string, birthDate?: string, sex?: string): CanonicalRow => ({
  id,
  lastName,
  firstName,
  birthDate,
  sex,
})

describe('duplicate persons', () => {
  it('merges names that differ by accents, case, ligature, apostrophe or one typo, keeping the first record', () => {
    const {canon, merges} = run([
      p('I1', 'Lœuillet', 'Zoé', '2015-03-02', 'F'),
      p('I2', 'LOEUILLET', 'zoe', '2015-03-02', 'F'),
      p('I3', 'L’Huillier', 'Mathilde', '2012-01-01', 'F'),
      p('I4', "L'huillier", 'Matilde', '2012-01-01'),
      p('I5', 'Darrigade', 'Noël', '2010-05-05', 'M'),
      p('I6', ' Darigade ', 'Noel', '2010-05-05', 'M'),
    ])
    expect(Object.fromEntries(canon)).toEqual({I2: 'I1', I4: 'I3', I6: 'I5'})
    expect(merges.map((m) => [m.kept, m.merged])).toEqual([
      ['I1', 'I2'],
      ['I3', 'I4'],
      ['I5', 'I6'],
    ])
  })

  it('never merges two different birth dates, nor persons without a birth date', () => {
    expect(run([p('I1', 'Martin', 'Léa', '2015-03-02'), p('I2', 'Martin', 'Léa', '2015-03-03')]).merges).toEqual([])
    expect(run([p('I1', 'Martin', 'Léa'), p('I2', 'Martin', 'Léa')]).merges).toEqual([])
  })

  it('does not merge twins: Léa and Léo, Louis and Louise (sex differs), Jules and Julie', () => {
    const {merges} = run([
      p('I1', 'Petit', 'Léa', '2016-01-01', 'F'),
      p('I2', 'Petit', 'Léo', '2016-01-01', 'M'),
      p('I3', 'Petit', 'Lina', '2016-01-01', 'F'),
      p('I4', 'Roux', 'Louis', '2018-02-02', 'M'),
      p('I5', 'Roux', 'Louise', '2018-02-02', 'F'),
      p('I6', 'Morel', 'Jules', '2019-02-02'),
      p('I7', 'Morel', 'Julie', '2019-02-02'),
    ])
    expect(merges).toEqual([])
  })

  it('the threshold is configurable: 1 merges only names equal once folded', () => {
    const rows = [
      p('I1', 'Durand', 'Benoît', '2011-01-01'),
      p('I2', 'Durnd', 'Benoît', '2011-01-01'),
      p('I3', 'DURAND', 'benoit', '2011-01-01'),
    ]
    expect(run(rows, 1).merges.map((m) => m.merged)).toEqual(['I3'])
    expect(
      run(rows, 0.8)
        .merges.map((m) => m.merged)
        .sort(),
    ).toEqual(['I2', 'I3'])
  })

  it('scores the lower of last and first name similarity on folded keys', () => {
    expect(matchKey(' L’Œttly-Saint ')).toBe('loettlysaint')
    expect(nameScore({last: 'martin', first: 'lea'}, {last: 'martin', first: 'leo'})).toBeCloseTo(2 / 3)
  })
})
