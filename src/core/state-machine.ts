/**
 * The one shape of a campaign's state machine (a laptop's lifecycle, an old PC's replacement
 * pipeline): its states and the moves allowed between them, each made by an action of the campaign
 * (a verb). The campaign's `states.ts` declares them with `defineStateMachine` and keeps what is its
 * own: the refusal, a typed error in its own words that says what must happen first.
 */
export interface Move<S extends string, A extends string> {
  readonly from: S
  readonly to: S
  /** What makes the move (the campaign's verb, e.g. 'wipe'). */
  readonly action: A
}

export interface StateMachineDefinition<S extends string, A extends string> {
  /** Every state, in the order tables and help list them. */
  readonly states: readonly S[]
  /** The allowed moves; a state with none out of it is final. */
  readonly moves: readonly Move<S, A>[]
  /** Actions that put a mistake right: a path takes them only when the other moves cannot get there. */
  readonly corrections?: readonly A[]
}

export interface StateMachine<S extends string, A extends string> {
  readonly states: readonly S[]
  readonly moves: readonly Move<S, A>[]
  /** The move from → to, or undefined when it is not allowed. A stored state is a string: an unknown one has no move. */
  move(from: string, to: string): Move<S, A> | undefined
  canMove(from: string, to: string): boolean
  /** The states `from` may move to, in the order of the moves. */
  next(from: string): S[]
  /** No move out of it (an unknown state is not final: it is not a state). */
  isFinal(from: string): boolean
  /**
   * The shortest chain of moves from → to (breadth first, in the order of the moves), or
   * undefined when `to` cannot be reached. Corrections only when the other moves cannot get there.
   */
  pathTo(from: S, to: S): Move<S, A>[] | undefined
  /** The move from → to; when it is not allowed, throws the campaign's error made by `refuse`. */
  assertMove(from: string, to: string, refuse: () => Error): Move<S, A>
}

export function defineStateMachine<S extends string, A extends string>(definition: StateMachineDefinition<S, A>): StateMachine<S, A> {
  const {states, moves, corrections = []} = definition
  const ordinary = moves.filter((m) => !corrections.includes(m.action))
  const move = (from: string, to: string) => moves.find((m) => m.from === from && m.to === to)
  return {
    states,
    moves,
    move,
    canMove: (from, to) => move(from, to) !== undefined,
    next: (from) => moves.filter((m) => m.from === from).map((m) => m.to),
    isFinal: (from) => (states as readonly string[]).includes(from) && !moves.some((m) => m.from === from),
    pathTo: (from, to) => shortestPath(ordinary, from, to) ?? shortestPath(moves, from, to),
    assertMove(from, to, refuse) {
      const found = move(from, to)
      if (!found) throw refuse()
      return found
    },
  }
}

function shortestPath<S extends string, A extends string>(moves: readonly Move<S, A>[], from: S, to: S): Move<S, A>[] | undefined {
  const prev = new Map<S, Move<S, A>>()
  const seen = new Set<S>([from])
  const queue: S[] = [from]
  while (queue.length > 0) {
    const s = queue.shift()!
    for (const m of moves) {
      if (m.from !== s || seen.has(m.to)) continue
      seen.add(m.to)
      prev.set(m.to, m)
      if (m.to === to) {
        const path: Move<S, A>[] = []
        for (let cur: S = to; cur !== from;) {
          const step = prev.get(cur)!
          path.unshift(step)
          cur = step.from
        }
        return path
      }
      queue.push(m.to)
    }
  }
  return undefined
}
