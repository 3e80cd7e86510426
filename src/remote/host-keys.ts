import {audit, type ServiceContext} from '../context/service-context.js'
import {NotFound, RuleViolation, UsageError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {fingerprint as fingerprintOfBlob, keyTypeOf} from './known-hosts.js'
import {fetchHostKey, type OfferedHostKey} from './ssh.js'
import {t} from './messages/index.js'

/**
 * Pinned SSH host keys (table host_keys, one per host and port). `alpi hosts trust` is the
 * only way in: the offered key is shown and recorded when it matches --fingerprint (checked
 * out of band) or after an explicit confirmation. connectSsh refuses anything else.
 */

export interface HostKeyRecord {
  host: string
  port: number
  keyType: string
  fingerprint: string
  publicKey: string | null
  addedAt: string
  addedBy: string
}

export interface TrustResult {
  host: string
  port: number
  keyType: string
  fingerprint: string
  /** 'pinned' (new), 'replaced' (a different key was pinned), 'unchanged' (already pinned). */
  status: 'pinned' | 'replaced' | 'unchanged'
  previousFingerprint?: string
}

const FP_RE = /^SHA256:[A-Za-z0-9+/]{43}$/

export function normaliseFingerprint(fp: string): string {
  const s = fp.trim().replace(/=+$/, '')
  const withPrefix = s.startsWith('SHA256:') ? s : `SHA256:${s}`
  if (!FP_RE.test(withPrefix)) throw new UsageError(t.m('notFingerprint', {fp}), {actions: [t.m('notFingerprintAction')]})
  return withPrefix
}

/** Parse an OpenSSH public key line ("type base64 [comment]"). */
export function parsePublicKey(line: string): OfferedHostKey {
  const [type, b64] = line.trim().split(/\s+/)
  const blob = Buffer.from(b64 ?? '', 'base64')
  if (!type || blob.length === 0 || keyTypeOf(blob) !== type)
    throw new UsageError(t.m('notPublicKey'), {actions: [t.m('notPublicKeyAction')]})
  return {keyType: type, fingerprint: fingerprintOfBlob(blob), publicKey: `${type} ${b64}`}
}

/**
 * Pin a host's key. Without `publicKey` the host is contacted (no authentication) to read
 * the key it offers. With `fingerprint` the offered key must match it; without, the person
 * confirms (or --yes). Tests pin their sshd with {host, port, fingerprint} or {publicKey}.
 */
/** What the person is asked before a key seen over the network is pinned (no fingerprint given). */
export interface TrustQuestion {
  host: string
  port: number
  keyType: string
  fingerprint: string
  /** The pinned fingerprint this key would replace: never answered by --yes alone. */
  replaces?: string
}

export interface TrustHostKeyOptions {
  host: string
  port?: number
  fingerprint?: string
  publicKey?: string
  timeoutMs?: number
  /** Called before a key checked by nobody is pinned (like wipe's confirm); resolves to go on. Without it, such a key is refused. */
  confirm?: (question: TrustQuestion) => Promise<void>
}

export async function trustHostKey(ctx: ServiceContext, opts: TrustHostKeyOptions): Promise<TrustResult> {
  const host = opts.host.trim()
  const port = opts.port ?? 22
  if (!host || /\s/.test(host)) throw new UsageError(t.m('notHostName', {host: opts.host}))
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(t.m('notPort', {port}))
  const expected = opts.fingerprint === undefined ? undefined : normaliseFingerprint(opts.fingerprint)
  const offered = opts.publicKey
    ? parsePublicKey(opts.publicKey)
    : await fetchHostKey({host, port, timeoutMs: opts.timeoutMs, signal: ctx.signal})
  ctx.out.info(t('offers', {host, port, type: offered.keyType, fp: offered.fingerprint}))

  const existing = await ctx.store.db
    .selectFrom('host_keys')
    .selectAll()
    .where('host', '=', host)
    .where('port', '=', port)
    .executeTakeFirst()
  if (expected !== undefined && expected !== offered.fingerprint) {
    throw new RuleViolation('HOST_KEY_MISMATCH', t.m('mismatch', {host, port, fp: offered.fingerprint, expected}), {
      actions: [t.m('mismatchAction')],
      data: {host, port, offeredFingerprint: offered.fingerprint, expectedFingerprint: expected},
    })
  }
  if (existing && existing.fingerprint === offered.fingerprint) {
    return {host, port, keyType: offered.keyType, fingerprint: offered.fingerprint, status: 'unchanged'}
  }
  // A fingerprint or a public key given by the caller was checked out of band: no question.
  if (expected === undefined && !opts.publicKey) {
    if (existing && !ctx.interactive) {
      // A changed key is what a man-in-the-middle looks like: --yes alone never replaces it.
      throw new UsageError(t.m('pinnedChanged', {host, port, pinned: existing.fingerprint, fp: offered.fingerprint}), {
        actions: [t.m('pinnedChangedAction', {host, port, fp: offered.fingerprint})],
        data: {host, port, pinnedFingerprint: existing.fingerprint, offeredFingerprint: offered.fingerprint},
      })
    }
    if (!opts.confirm)
      throw new UsageError(t.m('trustNeedsConfirm', {host, port, fp: offered.fingerprint}), {
        actions: [`alpi hosts trust ${host} --port ${port} --fingerprint ${offered.fingerprint}`],
      })
    await opts.confirm({
      host,
      port,
      keyType: offered.keyType,
      fingerprint: offered.fingerprint,
      ...(existing ? {replaces: existing.fingerprint} : {}),
    })
  }
  await ctx.store.transaction(async (trx) => {
    if (existing) await trx.deleteFrom('host_keys').where('host', '=', host).where('port', '=', port).execute()
    await trx
      .insertInto('host_keys')
      .values({
        host,
        port,
        key_type: offered.keyType,
        fingerprint: offered.fingerprint,
        public_key: offered.publicKey,
        added_at: nowIso(),
        added_by: ctx.actor,
      })
      .execute()
    await audit(ctx, trx, {
      entity: 'host_key',
      entityId: `${host}:${port}`,
      action: existing ? 'replace' : 'trust',
      summary: {
        code: existing
          ? expected
            ? 'hostKeyReplacedGiven'
            : 'hostKeyReplacedConfirmed'
          : expected
            ? 'hostKeyPinnedGiven'
            : 'hostKeyPinnedConfirmed',
        params: {type: offered.keyType, fingerprint: offered.fingerprint},
      },
      data: {previous: existing?.fingerprint ?? null},
    })
  })
  return {
    host,
    port,
    keyType: offered.keyType,
    fingerprint: offered.fingerprint,
    status: existing ? 'replaced' : 'pinned',
    ...(existing ? {previousFingerprint: existing.fingerprint} : {}),
  }
}

export async function listHostKeys(ctx: Pick<ServiceContext, 'store'>, opts: {host?: string} = {}): Promise<HostKeyRecord[]> {
  let q = ctx.store.db.selectFrom('host_keys').selectAll()
  if (opts.host) q = q.where('host', '=', opts.host)
  const rows = await q.orderBy('host').orderBy('port').execute()
  return rows.map((r) => ({
    host: r.host,
    port: Number(r.port),
    keyType: r.key_type,
    fingerprint: r.fingerprint,
    publicKey: r.public_key,
    addedAt: r.added_at,
    addedBy: r.added_by,
  }))
}

export async function forgetHostKey(ctx: ServiceContext, opts: {host: string; port?: number}): Promise<HostKeyRecord> {
  const port = opts.port ?? 22
  const row = await ctx.store.db
    .selectFrom('host_keys')
    .selectAll()
    .where('host', '=', opts.host)
    .where('port', '=', port)
    .executeTakeFirst()
  if (!row) throw new NotFound(t.m('noPinnedKey', {host: opts.host, port}), {actions: ['alpi hosts list']})
  await ctx.store.transaction(async (trx) => {
    await trx.deleteFrom('host_keys').where('host', '=', opts.host).where('port', '=', port).execute()
    await audit(ctx, trx, {
      entity: 'host_key',
      entityId: `${opts.host}:${port}`,
      action: 'forget',
      summary: {code: 'hostKeyForgotten', params: {type: row.key_type, fingerprint: row.fingerprint}},
    })
  })
  return {
    host: row.host,
    port: Number(row.port),
    keyType: row.key_type,
    fingerprint: row.fingerprint,
    publicKey: row.public_key,
    addedAt: row.added_at,
    addedBy: row.added_by,
  }
}
