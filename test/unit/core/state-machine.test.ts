import {describe, expect, it} from 'vitest'
import {defineStateMachine} from '../../../src/core/state-machine.js'

// A tiny machine of its own (a parcel received, stored, shipped; a mistake undone by 'unship'),
// so that the shape is checked apart from either campaign's table.
const PARCEL = defineStateMachine({
  states: ['received', 'stored', 'shipped', 'lost', 'destroyed'] as const,
  moves: [
    {from: 'received', to: 'stored', action: 'store'},
    {from: 'stored', to: 'shipped', action: 'ship'},
    {from: 'stored', to: 'stored', action: 'store'},
    {from: 'shipped', to: 'received', action: 'return'},
    {from: 'shipped', to: 'stored', action: 'unship'},
    {from: 'received', to: 'destroyed', action: 'destroy'},
    {from: 'lost', to: 'stored', action: 'unship'},
  ],
  corrections: ['unship'],
})

describe('defineStateMachine', () => {
  it('knows the allowed moves, and no move of an unknown state', () => {
    expect(PARCEL.states).toEqual(['received', 'stored', 'shipped', 'lost', 'destroyed'])
    expect(PARCEL.move('stored', 'shipped')).toEqual({from: 'stored', to: 'shipped', action: 'ship'})
    expect(PARCEL.canMove('received', 'shipped')).toBe(false)
    expect(PARCEL.canMove('stored', 'stored')).toBe(true)
    expect(PARCEL.canMove('in_transit', 'stored')).toBe(false)
    expect(PARCEL.next('shipped')).toEqual(['received', 'stored'])
    expect(PARCEL.next('in_transit')).toEqual([])
  })

  it('a state with no move out is final; an unknown state is not a state, so not final', () => {
    expect(PARCEL.isFinal('destroyed')).toBe(true)
    expect(PARCEL.isFinal('stored')).toBe(false)
    expect(PARCEL.isFinal('in_transit')).toBe(false)
  })

  it('finds the shortest path, through a correction only when nothing else gets there', () => {
    // shipped → stored: 'unship' is one move, but the ordinary way (return, store) is taken
    expect(PARCEL.pathTo('shipped', 'stored')?.map((m) => m.action)).toEqual(['return', 'store'])
    // lost → shipped: only a correction leaves 'lost'
    expect(PARCEL.pathTo('lost', 'shipped')?.map((m) => m.action)).toEqual(['unship', 'ship'])
    expect(PARCEL.pathTo('received', 'shipped')?.map((m) => m.to)).toEqual(['stored', 'shipped'])
    expect(PARCEL.pathTo('destroyed', 'stored')).toBeUndefined()
  })

  it('assertMove returns the move, or throws the error the campaign makes', () => {
    expect(PARCEL.assertMove('received', 'stored', () => new Error('never made'))).toEqual({
      from: 'received',
      to: 'stored',
      action: 'store',
    })
    class Refused extends Error {}
    let made = 0
    const refuse = () => {
      made++
      return new Refused('store it first')
    }
    expect(() => PARCEL.assertMove('received', 'shipped', refuse)).toThrow(Refused)
    expect(made).toBe(1)
  })
})
