import {audit, type ServiceContext} from '../context/service-context.js'
import {NotFound, RuleViolation} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {t} from './messages/index.js'
import {moveTo} from './states.js'

export interface ReceiveOptions {
  serial: string
  replaces: string
  maker?: string
  model?: string
}

/** A new PC delivered by LAFI, linked to the old PC it replaces (ordered → received). */
export async function receivePc(ctx: ServiceContext, opts: ReceiveOptions) {
  const serial = opts.serial.trim().toUpperCase()
  const oldSerial = opts.replaces.trim().toUpperCase()
  if (!/^[A-Z0-9][A-Z0-9._-]{2,63}$/.test(serial) || /^(DEFAULTSTRING|0+)$/.test(serial)) {
    throw new RuleViolation('WIN7_SERIAL_INVALID', t('serialUnusable', {serial: opts.serial}), {actions: [t('serialUnusableAction')]})
  }
  return ctx.store.transaction(async (trx) => {
    const old = await trx.selectFrom('win7_pcs').selectAll().where('serial', '=', oldSerial).executeTakeFirst()
    if (!old) throw new NotFound(t('pc.unknown', {serial: oldSerial}), {actions: ['alpi win7 status --member MEMBER']})
    if (old.role !== 'old')
      throw new RuleViolation('WIN7_NOT_AN_OLD_PC', t('itselfReplacement', {serial: oldSerial}), {actions: [t('itselfReplacementAction')]})
    const clash = await trx.selectFrom('win7_pcs').select(['serial', 'replaces']).where('serial', '=', serial).executeTakeFirst()
    if (clash)
      throw new RuleViolation(
        'WIN7_SERIAL_KNOWN',
        clash.replaces ? t('serialKnownReplaces', {serial, old: clash.replaces}) : t('serialKnown', {serial}),
        {actions: [t('serialKnownAction')]},
      )
    await moveTo(trx, oldSerial, 'received')
    const now = nowIso()
    await trx
      .insertInto('win7_pcs')
      .values({
        serial,
        role: 'new',
        name: null,
        member_code: old.member_code,
        site_id: old.site_id,
        maker: opts.maker ?? null,
        model: opts.model ?? null,
        form_factor: null,
        os_name: null,
        os_version: null,
        cpu: null,
        ram_mb: null,
        disk_mb: null,
        tpm: null,
        firmware: null,
        secure_boot: null,
        user_login: old.user_login,
        state: 'replacement',
        state_since: now,
        verdict: null,
        verdict_reasons: null,
        replaced_by: null,
        replaces: oldSerial,
        retired_kind: null,
        retired_ref: null,
        created_at: now,
        updated_at: now,
      })
      .execute()
    await trx.updateTable('win7_pcs').set({replaced_by: serial, updated_at: now}).where('serial', '=', oldSerial).execute()
    await audit(ctx, trx, {
      entity: 'win7_pc',
      entityId: serial,
      action: 'receive',
      summary: {code: 'win7Received', params: {serial, old: oldSerial}},
      data: {replaces: oldSerial, member: old.member_code},
    })
    return {serial, replaces: oldSerial, member: old.member_code, state: 'received' as const}
  })
}
