/**
 * What a DNS answer proves from the pupil's seat, and which names a verification asks:
 * only the box's block answer proves a name is blocked; samples spread over a category.
 */
import {describe, expect, it} from 'vitest'
import {classifyAnswer, pickSamples} from '../../../src/firewalls/verify.js'

describe('classifyAnswer', () => {
  it('the block address (or 0.0.0.0 / ::) is blocked; a real address resolves', () => {
    expect(classifyAnswer({status: 'NOERROR', answers: ['0.0.0.0']}, '0.0.0.0')).toBe('blocked')
    expect(classifyAnswer({status: 'NOERROR', answers: ['192.0.2.250']}, '192.0.2.250')).toBe('blocked')
    expect(classifyAnswer({status: 'NOERROR', answers: ['192.0.2.67']}, '0.0.0.0')).toBe('resolves')
    expect(classifyAnswer({status: 'NOERROR', answers: ['0.0.0.0', '192.0.2.67']}, '0.0.0.0')).toBe('resolves')
  })

  it('NXDOMAIN, REFUSED and an empty answer prove nothing (an unfiltered resolver says the same for a dead name)', () => {
    expect(classifyAnswer({status: 'NXDOMAIN', answers: []}, '0.0.0.0')).toBe('no-answer')
    expect(classifyAnswer({status: 'REFUSED', answers: []}, '0.0.0.0')).toBe('no-answer')
    expect(classifyAnswer({status: 'NOERROR', answers: []}, '0.0.0.0')).toBe('no-answer')
    expect(classifyAnswer({status: 'TIMEOUT', answers: []}, '0.0.0.0')).toBe('unreachable')
  })
})

describe('pickSamples', () => {
  const list = Array.from({length: 1000}, (_, i) => `name${String(i).padStart(4, '0')}.test`).join('\n')

  it('spreads n names over the whole list, each a full line', () => {
    const s = pickSamples(list, 5)
    expect(s).toHaveLength(5)
    for (const n of s) expect(n).toMatch(/^name\d{4}\.test$/)
    const idx = s.map((n) => Number(n.slice(4, 8)))
    expect(idx[0]).toBeLessThan(200)
    expect(idx[4]).toBeGreaterThan(800)
    expect(new Set(s).size).toBe(5)
  })

  it("skips the school's allowed names and never repeats a name; a short list gives what it has", () => {
    const s = pickSamples('a.test\nb.test\nc.test', 5, new Set(['b.test']))
    expect(s.sort()).toEqual(['a.test', 'c.test'])
    expect(pickSamples('only.test', 3)).toEqual(['only.test'])
    expect(pickSamples('', 3)).toEqual([])
    expect(pickSamples('a.test', 2, new Set(['a.test']))).toEqual([])
  })
})
