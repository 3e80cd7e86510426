import {RuleViolation} from '../core/errors.js'
import {defineStateMachine, type Move} from '../core/state-machine.js'
import {msg, stateName} from './messages/index.js'

/**
 * A laptop's lifecycle as an explicit transition table. A refused transition says what must
 * happen first: the shortest path of allowed steps from the current state, as commands.
 */
export const LAPTOP_STATES = [
  'received',
  'diagnosed',
  'wiped',
  'imaged',
  'ready',
  'allocated',
  'handed_over',
  'on_hold',
  'scrapped',
  'returned',
  'lost',
] as const
export type LaptopState = (typeof LAPTOP_STATES)[number]

export type LaptopAction = 'grade' | 'wipe' | 'reimage' | 'ready' | 'allocate' | 'handover' | 'return' | CorrectionAction

/** Corrections (`alpi laptops correct ...`): moves back, each with a reason and an audit entry. */
export type CorrectionAction = 'regrade' | 'rewipe' | 'unallocate' | 'cancel_handover' | 'lost' | 'found'
export const CORRECTIONS: readonly CorrectionAction[] = ['regrade', 'rewipe', 'unallocate', 'cancel_handover', 'lost', 'found']

type Transition = Move<LaptopState, LaptopAction>

/** What a technician runs for each action (used in "do this first" messages); ready has no command of its own. */
export const ACTION_COMMAND: Record<Exclude<LaptopAction, 'ready'>, string> = {
  grade: 'alpi laptops grade SERIAL',
  wipe: 'alpi laptops wipe --device DEV --serial SERIAL',
  reimage: 'alpi laptops reimage --image NAME --device DEV',
  allocate: 'alpi laptops allocate --site SITE --count N',
  handover: 'alpi laptops handover SERIAL --beneficiary REF',
  return: 'alpi laptops return SERIAL',
  regrade: 'alpi laptops correct regrade SERIAL --cosmetic A|B|C --reason "..."',
  rewipe: 'alpi laptops correct rewipe SERIAL --reason "..."',
  unallocate: 'alpi laptops correct unallocate SERIAL --reason "..."',
  cancel_handover: 'alpi laptops correct cancel-handover SERIAL --reason "..."',
  lost: 'alpi laptops correct lost SERIAL --kind lost|stolen --reason "..."',
  found: 'alpi laptops correct found SERIAL --reason "..."',
}

/** How to take a step, in the person's language (the command lines stay as they are). */
export function howTo(action: LaptopAction): string {
  if (action === 'ready') return msg('stepReady')
  if (action === 'grade') return msg('stepGrade', {command: ACTION_COMMAND.grade})
  return ACTION_COMMAND[action]
}

const T = (from: LaptopState, to: LaptopState, action: LaptopAction): Transition => ({from, to, action})

const TRANSITIONS: readonly Transition[] = [
  // diagnosis: the grade's verdict picks the state
  T('received', 'diagnosed', 'grade'),
  T('received', 'on_hold', 'grade'),
  T('received', 'scrapped', 'grade'),
  T('diagnosed', 'diagnosed', 'grade'),
  T('diagnosed', 'on_hold', 'grade'),
  T('diagnosed', 'scrapped', 'grade'),
  T('on_hold', 'diagnosed', 'grade'),
  T('on_hold', 'on_hold', 'grade'),
  T('on_hold', 'scrapped', 'grade'),
  T('returned', 'diagnosed', 'grade'),
  T('returned', 'on_hold', 'grade'),
  T('returned', 'scrapped', 'grade'),
  // sanitisation: only after a diagnosis (or again, before imaging). Not once imaged: the disk
  // then holds the golden image over a certified wipe, and a re-wipe that failed halfway
  // would leave a "ready" laptop with a half-erased disk; a wrong image is reimaged instead
  T('diagnosed', 'wiped', 'wipe'),
  T('wiped', 'wiped', 'wipe'),
  // imaging: only on a wiped disk
  T('wiped', 'imaged', 'reimage'),
  T('imaged', 'imaged', 'reimage'),
  T('ready', 'imaged', 'reimage'),
  T('imaged', 'ready', 'ready'),
  // giving out
  T('ready', 'allocated', 'allocate'),
  T('allocated', 'handed_over', 'handover'),
  // returns go back to diagnosis (and then a new wipe)
  T('handed_over', 'returned', 'return'),
  T('allocated', 'returned', 'return'),
  // corrections, with a reason: new evidence on a ready laptop, a wipe to do again, an
  // allocation or a handover made by mistake, a laptop lost or stolen (and found again)
  T('ready', 'ready', 'regrade'),
  T('ready', 'on_hold', 'regrade'),
  T('ready', 'scrapped', 'regrade'),
  T('imaged', 'diagnosed', 'rewipe'),
  T('ready', 'diagnosed', 'rewipe'),
  T('allocated', 'ready', 'unallocate'),
  T('handed_over', 'allocated', 'cancel_handover'),
  ...(['received', 'diagnosed', 'wiped', 'imaged', 'ready', 'allocated', 'handed_over', 'on_hold', 'returned'] as const).map((from) =>
    T(from, 'lost', 'lost'),
  ),
  T('lost', 'returned', 'found'),
]

/**
 * The lifecycle. Its paths take the ordinary steps first; the corrections only when the ordinary
 * steps cannot get there (a laptop handed over goes back through `return`, not through a
 * cancelled handover).
 */
export const LIFECYCLE = defineStateMachine({states: LAPTOP_STATES, moves: TRANSITIONS, corrections: CORRECTIONS})

/**
 * Throws a RuleViolation that lists the steps to take first when from → to is not allowed.
 * The message names the states in the person's language; the data keeps the state ids.
 */
export function assertTransition(serial: string, from: LaptopState, to: LaptopState): Transition {
  return LIFECYCLE.assertMove(from, to, () => refusal(serial, from, to))
}

/** The refusal of from → to: the steps to take first (the shortest path), or why never. */
function refusal(serial: string, from: LaptopState, to: LaptopState): RuleViolation {
  const path = LIFECYCLE.pathTo(from, to)
  if (!path) {
    return new RuleViolation('LAPTOP_TRANSITION_REFUSED', msg('transitionNever', {serial, from: stateName(from), to: stateName(to)}), {
      actions: [from === 'scrapped' ? msg('transitionNeverScrapped') : msg('transitionNeverCheck', {serial})],
      data: {serial, from, to},
    })
  }
  const first = path.slice(0, -1)
  return new RuleViolation(
    'LAPTOP_TRANSITION_REFUSED',
    msg('transitionRefused', {
      serial,
      from: stateName(from),
      steps: first.map((s) => stateName(s.to)).join(msg('transitionThen')),
      to: stateName(to),
    }),
    {
      actions: first.map((s) => msg('transitionStep', {state: stateName(s.to), how: howTo(s.action)})),
      data: {serial, from, to, missing: first.map((s) => s.to)},
    },
  )
}
