import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {audit, type ServiceContext} from '../context/service-context.js'
import {NotFound, RuleViolation, UsageError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {WipeCertificateSchema, type WipeCertificateProof} from '../core/wipe-certificate.js'
import {t} from './messages/index.js'
import {moveTo} from './states.js'

/** The new PC is installed on site (staged → installed on its old PC's pipeline). */
export async function markInstalled(ctx: ServiceContext, opts: {serial: string}) {
  const serial = opts.serial.trim().toUpperCase()
  return ctx.store.transaction(async (trx) => {
    const pc = await trx.selectFrom('win7_pcs').select(['serial', 'role', 'replaces']).where('serial', '=', serial).executeTakeFirst()
    if (!pc) throw new NotFound(t('pc.unknown', {serial}), {actions: [t('act.status')]})
    const old = pc.role === 'new' ? pc.replaces! : pc.serial
    await moveTo(trx, old, 'installed')
    await audit(ctx, trx, {
      entity: 'win7_pc',
      entityId: old,
      action: 'installed',
      summary: {code: 'win7Installed', params: {old}},
      data: {replacement: pc.role === 'new' ? pc.serial : null},
    })
    return {serial: old, replacement: pc.role === 'new' ? pc.serial : null, state: 'installed' as const}
  })
}

export interface RetireRef {
  kind: 'weee' | 'wiped'
  certificate?: string
  level?: string
  standard?: string
  path?: string
  sha256?: string
}

export interface RetireOptions {
  serial: string
  disposal?: 'WEEE'
  wipedCertificate?: string
}

/** The old PC leaves the pipeline: its disk wiped (certificate from `alpi laptops certify --win7-pc`) or its disposal as WEEE recorded. */
export async function retirePc(ctx: ServiceContext, opts: RetireOptions) {
  const serial = opts.serial.trim().toUpperCase()
  if (Boolean(opts.disposal) === Boolean(opts.wipedCertificate)) {
    throw new UsageError(t('retireEither'), {
      actions: [
        'alpi win7 retire OLD_SERIAL --disposal WEEE',
        'alpi win7 retire OLD_SERIAL --wiped-certificate certificat-effacement-....json',
      ],
    })
  }
  let ref: RetireRef = {kind: 'weee'}
  if (opts.wipedCertificate) {
    const path = resolve(opts.wipedCertificate)
    let bytes: Buffer
    let cert: WipeCertificateProof
    try {
      bytes = readFileSync(path)
    } catch (error) {
      throw new UsageError(t('certUnreadable', {path, code: (error as NodeJS.ErrnoException).code ?? '-'}), {
        actions: [t('certUnreadableAction')],
      })
    }
    try {
      const parsed = WipeCertificateSchema.safeParse(JSON.parse(bytes.toString('utf8')))
      if (!parsed.success)
        throw new Error(
          t('certField', {field: parsed.error.issues[0]?.path.join('.') ?? '', message: parsed.error.issues[0]?.message ?? ''}),
        )
      cert = parsed.data
    } catch (error) {
      throw new RuleViolation('WIN7_CERTIFICATE_INVALID', t('certInvalid', {path, detail: (error as Error).message}), {
        actions: [t('certInvalidAction')],
      })
    }
    if (cert.laptopSerial.trim().toUpperCase() !== serial) {
      throw new RuleViolation('WIN7_CERTIFICATE_SERIAL', t('certSerial', {certified: cert.laptopSerial, serial}), {
        actions: [t('certSerialAction', {serial})],
      })
    }
    if (cert.result !== 'success' || !cert.verification.passed || cert.errors !== 0) {
      throw new RuleViolation('WIN7_WIPE_FAILED', t('wipeFailed', {id: cert.id}), {actions: [t('wipeFailedAction', {serial})]})
    }
    ref = {
      kind: 'wiped',
      certificate: cert.id,
      level: cert.level,
      standard: cert.standard,
      path,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    }
  }
  return ctx.store.transaction(async (trx) => {
    const pc = await trx.selectFrom('win7_pcs').select(['serial', 'role']).where('serial', '=', serial).executeTakeFirst()
    if (!pc) throw new NotFound(t('pc.unknown', {serial}), {actions: ['alpi win7 status']})
    if (pc.role !== 'old') throw new RuleViolation('WIN7_NOT_AN_OLD_PC', t('notAnOldPc', {serial}), {actions: [t('notAnOldPcAction')]})
    const to = ref.kind === 'wiped' ? 'wiped' : 'disposed'
    await moveTo(trx, serial, to)
    await trx
      .updateTable('win7_pcs')
      .set({retired_kind: ref.kind, retired_ref: JSON.stringify(ref), updated_at: nowIso()})
      .where('serial', '=', serial)
      .execute()
    const {path: _path, ...auditRef} = ref
    await audit(ctx, trx, {
      entity: 'win7_pc',
      entityId: serial,
      action: 'retire',
      summary:
        to === 'wiped'
          ? {code: 'win7Wiped', params: {serial, certificate: ref.certificate ?? ''}}
          : {code: 'win7Disposed', params: {serial}},
      data: auditRef,
    })
    return {serial, state: to as 'wiped' | 'disposed', ...ref}
  })
}
