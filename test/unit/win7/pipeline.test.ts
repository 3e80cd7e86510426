import {describe, expect, it} from 'vitest'
import {RuleViolation} from '../../../src/core/errors.js'
import {setLanguage} from '../../../src/core/i18n.js'
import {assertTransition, PIPELINE, STATES, type PipelineState} from '../../../src/win7/states.js'

setLanguage('en')

describe('win7 pipeline transition table', () => {
  it('walks the replacement path in order', () => {
    const path = ['inventoried', 'to_replace', 'ordered', 'received', 'staged', 'installed', 'wiped'] as const
    for (let i = 1; i < path.length; i++) expect(PIPELINE.canMove(path[i - 1]!, path[i]!)).toBe(true)
    expect(PIPELINE.canMove('installed', 'disposed')).toBe(true)
    expect(PIPELINE.canMove('upgrade_in_place', 'upgraded')).toBe(true)
  })

  it('every target state of the table is a known state', () => {
    for (const {from, to} of PIPELINE.moves) {
      expect(STATES).toContain(from)
      expect(STATES).toContain(to)
    }
  })

  it('allows exactly these moves, in this order (a refusal lists them as `allowed`)', () => {
    // Written out again by hand: the table must say exactly this.
    const reassess = ['assessed', 'upgrade_in_place', 'to_replace']
    const allowed: Record<PipelineState, string[]> = {
      inventoried: reassess,
      assessed: reassess,
      upgrade_in_place: [...reassess, 'upgraded'],
      to_replace: [...reassess, 'ordered'],
      ordered: ['received'],
      received: ['staged'],
      staged: ['staged', 'installed'],
      installed: ['wiped', 'disposed'],
      wiped: [],
      disposed: [],
      upgraded: [],
    }
    for (const s of STATES) expect(PIPELINE.next(s), s).toEqual(allowed[s])
    expect(STATES.filter((s) => PIPELINE.isFinal(s))).toEqual(['wiped', 'disposed', 'upgraded'])
    let err: unknown
    try {
      assertTransition('SN1', 'to_replace', 'received')
    } catch (error) {
      err = error
    }
    expect((err as RuleViolation).data).toEqual({
      serial: 'SN1',
      from: 'to_replace',
      to: 'received',
      allowed: [...reassess, 'ordered'],
      requires: 'ordered',
    })
  })

  it.each([
    ['to_replace', 'received', 'ordered', 'win7 order'],
    ['ordered', 'staged', 'received', 'win7 receive'],
    ['received', 'installed', 'staged', 'win7 stage'],
    ['staged', 'wiped', 'installed', 'win7 installed'],
    ['assessed', 'ordered', 'to_replace', 'win7 assess'],
  ] as const)('refuses %s → %s and says it must be %s first', (from, to, need, action) => {
    // Given a PC in `from`, when asked to skip a step, then the error names the missing step
    let err: unknown
    try {
      assertTransition('SN1', from, to)
    } catch (error) {
      err = error
    }
    expect(err).toBeInstanceOf(RuleViolation)
    const e = err as RuleViolation
    expect(e.code).toBe('WIN7_TRANSITION_REFUSED')
    expect(e.message).toContain(`"${need.replace(/_/g, ' ')}"`)
    expect(e.actions.join(' ')).toContain(action)
    expect((e.data as {requires: string}).requires).toBe(need)
  })

  it('refuses any move out of a final state', () => {
    expect(() => assertTransition('SN1', 'disposed', 'installed')).toThrow(/end of its pipeline/)
    expect(() => assertTransition('SN1', 'wiped', 'assessed')).toThrow(RuleViolation)
  })

  it('does not let an ordered PC be re-assessed', () => {
    expect(PIPELINE.canMove('ordered', 'upgrade_in_place')).toBe(false)
    expect(PIPELINE.canMove('ordered', 'to_replace')).toBe(false)
  })
})
