import {createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject} from 'node:crypto'
import {mkdirSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import type {Store} from '../store/db.js'
import {t} from '../core/messages/index.js'
import {verifyAudit, type AuditVerifyResult} from './journal.js'
import {configPath} from '../core/config.js'
import {AlpiError, EXIT, UsageError} from '../core/errors.js'
import {writeFileAtomic} from '../core/fs.js'
import {nowIso} from '../core/ids.js'

/**
 * Anchors of the audit chain kept OUTSIDE the store. Anyone who can write the store can
 * rebuild a valid chain (the hashes use no secret), so only a head recorded elsewhere proves
 * that nothing was cut or rewritten before it. An anchor file holds the head (entry and
 * hash), the number of entries, when and by whom, signed with this machine's ed25519 key
 * (created on first use in the XDG config folder, 0600): an anchor edited afterwards fails
 * its signature, and the key's fingerprint tells which machine signed it.
 */
export const ANCHOR_FORMAT = 'alpi-audit-anchor/1'

export interface AuditAnchor {
  store: string
  dialect: string
  seq: number
  head: string
  entries: number
  at: string
  actor: string
}

export interface AnchorFile {
  format: typeof ANCHOR_FORMAT
  anchor: AuditAnchor
  signature: {algorithm: 'ed25519'; publicKey: string; fingerprint: string; value: string}
}

/** Where this machine's anchor key lives (next to the config file). */
export function anchorKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(configPath(env)), 'audit-anchor-key.pem')
}

function fingerprint(publicKey: KeyObject): string {
  return `SHA256:${createHash('sha256')
    .update(publicKey.export({type: 'spki', format: 'der'}))
    .digest('base64')
    .replace(/=+$/, '')}`
}

function loadKey(env: NodeJS.ProcessEnv, create: boolean): KeyObject | undefined {
  const path = anchorKeyPath(env)
  try {
    return createPrivateKey(readFileSync(path))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    if (!create) return undefined
  }
  const {privateKey} = generateKeyPairSync('ed25519')
  mkdirSync(dirname(path), {recursive: true, mode: 0o700})
  writeFileAtomic(path, privateKey.export({type: 'pkcs8', format: 'pem'}) as string, {mode: 0o600})
  return privateKey
}

function payload(anchor: AuditAnchor): Buffer {
  const a = anchor
  return Buffer.from(JSON.stringify([ANCHOR_FORMAT, a.store, a.dialect, a.seq, a.head, a.entries, a.at, a.actor]), 'utf8')
}

export interface WriteAnchorResult extends AnchorFile {
  path: string
}

/** Verify the chain (a broken one is never anchored), then write its head, signed, to `out`. */
export async function writeAnchor(store: Store, opts: {out: string; actor: string; env?: NodeJS.ProcessEnv}): Promise<WriteAnchorResult> {
  const verified = await verifyAudit(store.db)
  if (!verified.ok) throw tamperedError(verified)
  const key = loadKey(opts.env ?? process.env, true)!
  const publicKey = createPublicKey(key)
  const anchor: AuditAnchor = {
    store: store.location,
    dialect: store.dialect,
    seq: verified.headSeq,
    head: verified.headHash,
    entries: verified.entries,
    at: nowIso(),
    actor: opts.actor,
  }
  const file: AnchorFile = {
    format: ANCHOR_FORMAT,
    anchor,
    signature: {
      algorithm: 'ed25519',
      publicKey: publicKey.export({type: 'spki', format: 'der'}).toString('base64'),
      fingerprint: fingerprint(publicKey),
      value: sign(null, payload(anchor), key).toString('base64'),
    },
  }
  const path = resolve(opts.out)
  writeFileAtomic(path, JSON.stringify(file, null, 2) + '\n', {mode: 0o644})
  return {...file, path}
}

/**
 * Read an anchor file and check its signature. A key other than this machine's is not an
 * error (the anchor may come from the office's machine) but is reported, with its fingerprint.
 */
export function readAnchor(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): {anchor: AuditAnchor; fingerprint: string; otherKey?: string} {
  const file = resolve(path)
  let parsed: AnchorFile
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as AnchorFile
    if (parsed.format !== ANCHOR_FORMAT || !parsed.anchor || !parsed.signature) throw new Error(`format is not ${ANCHOR_FORMAT}`)
    if (typeof parsed.anchor.head !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.anchor.head) || !Number.isInteger(parsed.anchor.seq))
      throw new Error('no head in it')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') {
      throw new UsageError(t('anchorUnreadable', {path: file, detail: (error as NodeJS.ErrnoException).code!}), {
        actions: [t('anchorUnreadableAction')],
      })
    }
    throw new UsageError(t('anchorUnreadable', {path: file, detail: (error as Error).message}), {actions: [t('anchorUnreadableAction')]})
  }
  let ok = false
  let publicKey: KeyObject | undefined
  try {
    publicKey = createPublicKey({key: Buffer.from(parsed.signature.publicKey, 'base64'), format: 'der', type: 'spki'})
    ok = verify(null, payload(parsed.anchor), publicKey, Buffer.from(parsed.signature.value, 'base64'))
  } catch {
    ok = false
  }
  if (!ok || !publicKey) {
    throw new AlpiError('AUDIT_ANCHOR_INVALID', t('anchorBadSignature', {path: file}), EXIT.failure, {
      actions: [t('anchorBadSignatureAction')],
    })
  }
  const signer = fingerprint(publicKey)
  const local = loadKey(env, false)
  const localPrint = local ? fingerprint(createPublicKey(local)) : undefined
  return {
    anchor: parsed.anchor,
    fingerprint: signer,
    otherKey: localPrint && localPrint !== signer ? t('anchorOtherKey', {path: file, fingerprint: signer, local: localPrint}) : undefined,
  }
}

/** A hash given by hand (--expect-head): 64 hexadecimal characters. */
export function parseHead(hash: string): string {
  const h = hash.trim().toLowerCase()
  if (!/^[0-9a-f]{64}$/.test(h)) throw new UsageError(t('badHead', {hash}))
  return h
}

export function tamperedError(result: AuditVerifyResult): AlpiError {
  const first = result.problems[0]!
  return new AlpiError('AUDIT_TAMPERED', t('tampered', {n: result.problems.length, seq: first.seq, detail: first.detail}), EXIT.failure, {
    data: result,
    actions: [t('tamperedAction')],
  })
}
