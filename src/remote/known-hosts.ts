import {createHash, createHmac} from 'node:crypto'
import {readFileSync} from 'node:fs'

/**
 * OpenSSH host keys: fingerprints and the known_hosts format (plain and hashed
 * `|1|salt|hmac` host fields, `[host]:port`, wildcards `*`/`?`, negation `!`, the
 * `@revoked` marker; `@cert-authority` lines are ignored: no certificates here).
 */

/** The key type inside an SSH public key blob (first SSH string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown'
  const len = blob.readUInt32BE(0)
  return blob.subarray(4, 4 + len).toString('latin1')
}

/** SHA256 fingerprint as `ssh-keygen -lf` prints it: base64 without padding. */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')
}

/** The string OpenSSH matches host patterns against: `host` on port 22, else `[host]:port`. */
export function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

export interface KnownHostsEntry {
  marker?: 'revoked' | 'cert-authority'
  hosts: string
  keyType: string
  key: Buffer
  file: string
  line: number
}

export function parseKnownHosts(text: string, file = '<memory>'): KnownHostsEntry[] {
  const out: KnownHostsEntry[] = []
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const parts = line.split(/\s+/)
    let marker: KnownHostsEntry['marker']
    if (parts[0]!.startsWith('@')) {
      const m = parts.shift()!.slice(1)
      if (m !== 'revoked' && m !== 'cert-authority') return
      marker = m
    }
    if (parts.length < 3) return
    const [hosts, keyType, b64] = parts as [string, string, string]
    const key = Buffer.from(b64, 'base64')
    if (key.length === 0) return
    out.push({marker, hosts, keyType, key, file, line: i + 1})
  })
  return out
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${body}$`, 'i')
}

function hashedMatches(field: string, token: string): boolean {
  const m = /^\|1\|([^|]+)\|([^|]+)$/.exec(field)
  if (!m) return false
  const salt = Buffer.from(m[1]!, 'base64')
  const expected = Buffer.from(m[2]!, 'base64')
  const got = createHmac('sha1', salt).update(token).digest()
  return got.length === expected.length && got.equals(expected)
}

/** Does a known_hosts host field match this host and port? */
export function hostFieldMatches(field: string, host: string, port: number): boolean {
  const token = hostToken(host, port)
  if (field.startsWith('|')) return hashedMatches(field, token)
  let matched = false
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!')
    const p = negated ? pattern.slice(1) : pattern
    if (globToRegExp(p).test(token)) {
      if (negated) return false
      matched = true
    }
  }
  return matched
}

export type KnownHostsVerdict =
  | {status: 'ok'; file: string; line: number}
  | {status: 'revoked'; file: string; line: number}
  | {status: 'changed'; file: string; line: number; expectedFingerprints: string[]}
  | {status: 'unknown'}

/** Check an offered key against known_hosts entries (revoked wins, then a match, then a mismatch). */
export function checkKnownHosts(entries: KnownHostsEntry[], host: string, port: number, offered: Buffer): KnownHostsVerdict {
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && hostFieldMatches(e.hosts, host, port))
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key.equals(offered))
  if (revoked) return {status: 'revoked', file: revoked.file, line: revoked.line}
  const pinned = forHost.filter((e) => e.marker === undefined)
  const ok = pinned.find((e) => e.key.equals(offered))
  if (ok) return {status: 'ok', file: ok.file, line: ok.line}
  if (pinned.length > 0)
    return {status: 'changed', file: pinned[0]!.file, line: pinned[0]!.line, expectedFingerprints: pinned.map((e) => fingerprint(e.key))}
  return {status: 'unknown'}
}

/** Entries of several known_hosts files (missing files are skipped). */
export function loadKnownHosts(files: readonly string[]): KnownHostsEntry[] {
  const out: KnownHostsEntry[] = []
  for (const file of files) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw error
    }
    out.push(...parseKnownHosts(text, file))
  }
  return out
}

/** Key types known for a host (to ask the server for those first). */
export function knownKeyTypes(entries: KnownHostsEntry[], host: string, port: number): string[] {
  return [...new Set(entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, host, port)).map((e) => e.keyType))]
}
