import {describe, expect, it} from 'vitest'
import {RuleViolation} from '../../../src/core/errors.js'
import {assertTransition, LAPTOP_STATES, LIFECYCLE, type LaptopState} from '../../../src/laptops/states.js'

// Every allowed transition, written out again by hand: the table must say exactly this.
const ALLOWED: [LaptopState, LaptopState][] = [
  ['received', 'diagnosed'],
  ['received', 'on_hold'],
  ['received', 'scrapped'],
  ['diagnosed', 'diagnosed'],
  ['diagnosed', 'on_hold'],
  ['diagnosed', 'scrapped'],
  ['diagnosed', 'wiped'],
  ['on_hold', 'diagnosed'],
  ['on_hold', 'on_hold'],
  ['on_hold', 'scrapped'],
  ['returned', 'diagnosed'],
  ['returned', 'on_hold'],
  ['returned', 'scrapped'],
  ['wiped', 'wiped'],
  ['wiped', 'imaged'],
  ['imaged', 'imaged'],
  ['ready', 'imaged'],
  ['imaged', 'ready'],
  ['ready', 'allocated'],
  ['allocated', 'handed_over'],
  ['handed_over', 'returned'],
  ['allocated', 'returned'],
  // corrections (alpi laptops correct ...), each with a reason
  ['ready', 'ready'],
  ['ready', 'on_hold'],
  ['ready', 'scrapped'],
  ['imaged', 'diagnosed'],
  ['ready', 'diagnosed'],
  ['allocated', 'ready'],
  ['handed_over', 'allocated'],
  ['lost', 'returned'],
  ...(['received', 'diagnosed', 'wiped', 'imaged', 'ready', 'allocated', 'handed_over', 'on_hold', 'returned'] as const).map(
    (s): [LaptopState, LaptopState] => [s, 'lost'],
  ),
]
const key = (a: string, b: string) => `${a}->${b}`
const allowedSet = new Set(ALLOWED.map(([a, b]) => key(a, b)))

describe('laptop lifecycle table', () => {
  it('has exactly the allowed transitions', () => {
    expect(new Set(LIFECYCLE.moves.map((t) => key(t.from, t.to)))).toEqual(allowedSet)
  })

  describe.each(ALLOWED)('allowed %s -> %s', (from, to) => {
    it('is accepted', () => {
      expect(assertTransition('S1', from, to)).toEqual(LIFECYCLE.move(from, to))
    })
  })

  const refused = LAPTOP_STATES.flatMap((from) =>
    LAPTOP_STATES.filter((to) => !allowedSet.has(key(from, to))).map((to) => [from, to] as [LaptopState, LaptopState]),
  )
  describe.each(refused)('refused %s -> %s', (from, to) => {
    it('throws a RuleViolation that says what must happen first', () => {
      let err: unknown
      try {
        assertTransition('S1', from, to)
      } catch (error) {
        err = error
      }
      expect(err).toBeInstanceOf(RuleViolation)
      const e = err as RuleViolation
      expect(e.code).toBe('LAPTOP_TRANSITION_REFUSED')
      expect(e.actions.length).toBeGreaterThan(0)
      const path = LIFECYCLE.pathTo(from, to)
      if (path) {
        // the listed steps are the missing states, in order, and the chain is valid
        expect((e.data as {missing: string[]}).missing).toEqual(path.slice(0, -1).map((s) => s.to))
        expect(path[0]!.from).toBe(from)
        expect(path.at(-1)!.to).toBe(to)
      } else {
        expect(e.message).toMatch(/can never become/)
      }
    })
  })

  it('never hands over an unwiped laptop: from received it lists diagnosis, wipe, image, ready, allocation', () => {
    expect(() => assertTransition('S1', 'received', 'handed_over')).toThrow(
      /must be diagnosed, then wiped, then imaged, then ready, then allocated before it can be handed_over/,
    )
  })

  it('a returned laptop goes back to diagnosis and a new wipe before allocation', () => {
    expect((LIFECYCLE.pathTo('returned', 'allocated') ?? []).map((t) => t.to)).toEqual([
      'diagnosed',
      'wiped',
      'imaged',
      'ready',
      'allocated',
    ])
  })

  it('ordinary steps come before corrections: a laptop handed over goes back through return, not a cancelled handover', () => {
    expect((LIFECYCLE.pathTo('handed_over', 'ready') ?? []).map((t) => t.action)).toEqual(['return', 'grade', 'wipe', 'reimage', 'ready'])
    // only a correction reaches "lost", and a lost laptop comes back through "found"
    expect((LIFECYCLE.pathTo('lost', 'ready') ?? []).map((t) => t.action)).toEqual(['found', 'grade', 'wipe', 'reimage', 'ready'])
    const e = (() => {
      try {
        assertTransition('S1', 'lost', 'allocated')
      } catch (error) {
        return error as RuleViolation
      }
    })()
    expect(e?.actions[0]).toMatch(/returned: alpi laptops correct found SERIAL/)
  })

  it('scrapped is terminal', () => {
    for (const to of LAPTOP_STATES) if (to !== 'scrapped') expect(LIFECYCLE.pathTo('scrapped', to)).toBeUndefined()
  })
})
