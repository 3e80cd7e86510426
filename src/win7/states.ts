import type {Kysely} from 'kysely'
import {RuleViolation} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {defineStateMachine, type Move} from '../core/state-machine.js'
import type {Database} from '../store/schema.js'
import {t} from './messages/index.js'

/**
 * The replacement pipeline of an old PC, as an explicit transition table:
 * inventoried → assessed (verdict unknown) → upgrade_in_place | to_replace → ordered →
 * received → staged → installed → wiped | disposed. upgrade_in_place ends in "upgraded".
 * The state lives on the old PC's row (its replacement is linked by replaced_by).
 */
export const STATES = [
  'inventoried',
  'assessed',
  'upgrade_in_place',
  'to_replace',
  'ordered',
  'received',
  'staged',
  'installed',
  'wiped',
  'disposed',
  'upgraded',
] as const
export type PipelineState = (typeof STATES)[number]

/** The verb that moves an old PC (`alpi win7 VERB`). */
type PipelineAction = 'assess' | 'order' | 'receive' | 'stage' | 'installed' | 'retire'

const M = (from: PipelineState, to: PipelineState, action: PipelineAction): Move<PipelineState, PipelineAction> => ({from, to, action})
const REASSESSABLE = ['assessed', 'upgrade_in_place', 'to_replace'] as const
/** An assessment again (a new inventory, a new policy) may change the verdict until something is ordered. */
const reassess = (from: PipelineState) => REASSESSABLE.map((to) => M(from, to, 'assess'))

/** The pipeline; wiped, disposed and upgraded are final. */
export const PIPELINE = defineStateMachine({
  states: STATES,
  moves: [
    ...reassess('inventoried'),
    ...reassess('assessed'),
    ...reassess('upgrade_in_place'),
    M('upgrade_in_place', 'upgraded', 'assess'),
    ...reassess('to_replace'),
    M('to_replace', 'ordered', 'order'),
    M('ordered', 'received', 'receive'),
    M('received', 'staged', 'stage'),
    M('staged', 'staged', 'stage'),
    M('staged', 'installed', 'installed'),
    M('installed', 'wiped', 'retire'),
    M('installed', 'disposed', 'retire'),
  ],
})

/** What must have happened before a PC can enter a state (for refusal messages). */
const PREREQUISITE: Record<PipelineState, {state: PipelineState | null; action: string; why?: 'prereq.ordered'}> = {
  inventoried: {state: null, action: 'alpi win7 inventory import FILE'},
  assessed: {state: 'inventoried', action: 'alpi win7 assess'},
  upgrade_in_place: {state: 'assessed', action: 'alpi win7 assess'},
  to_replace: {state: 'assessed', action: 'alpi win7 assess'},
  ordered: {state: 'to_replace', action: 'alpi win7 assess', why: 'prereq.ordered'},
  received: {state: 'ordered', action: 'alpi win7 order --member MEMBER'},
  staged: {state: 'received', action: 'alpi win7 receive NEW_SERIAL --replaces OLD_SERIAL'},
  installed: {state: 'staged', action: 'alpi win7 stage NEW_SERIAL'},
  wiped: {state: 'installed', action: 'alpi win7 installed NEW_SERIAL'},
  disposed: {state: 'installed', action: 'alpi win7 installed NEW_SERIAL'},
  upgraded: {state: 'upgrade_in_place', action: 'alpi win7 assess'},
}

/** A state's name in the current language (the store and --json keep the code). */
export function stateText(state: string): string {
  return (STATES as readonly string[]).includes(state) || state === 'replacement'
    ? t(`state.${state as PipelineState | 'replacement'}`)
    : state
}

/** Throws a RuleViolation saying what must happen first when `from → to` is not allowed. */
export function assertTransition(serial: string, from: string, to: PipelineState): void {
  PIPELINE.assertMove(from, to, () => refusal(serial, from, to))
}

function refusal(serial: string, from: string, to: PipelineState): RuleViolation {
  const pre = PREREQUISITE[to]
  const terminal = PIPELINE.isFinal(from)
  const names = {from: stateText(from), to: stateText(to)}
  const message = terminal
    ? t('transition.terminal', {serial, ...names})
    : t('transition.refused', {serial, ...names, need: pre.state ? stateText(pre.state) : '-'})
  return new RuleViolation('WIN7_TRANSITION_REFUSED', message, {
    actions: terminal
      ? [t('transition.terminalAction')]
      : [t('transition.first', {action: pre.why ? t(pre.why) : pre.action}), `alpi win7 status`],
    data: {serial, from, to, allowed: PIPELINE.next(from), requires: pre.state},
  })
}

/** Move an old PC to `to` inside the caller's transaction (state_since kept on a self-loop). */
export async function moveTo(trx: Kysely<Database>, serial: string, to: PipelineState): Promise<PipelineState> {
  const pc = await trx.selectFrom('win7_pcs').select(['state', 'role']).where('serial', '=', serial).executeTakeFirst()
  if (!pc)
    throw new RuleViolation('WIN7_PC_UNKNOWN', t('pc.unknown', {serial}), {
      actions: ['alpi win7 inventory import FILE', 'alpi win7 status'],
    })
  assertTransition(serial, pc.state, to)
  const now = nowIso()
  await trx
    .updateTable('win7_pcs')
    .set(pc.state === to ? {updated_at: now} : {state: to, state_since: now, updated_at: now})
    .where('serial', '=', serial)
    .execute()
  return pc.state as PipelineState
}
