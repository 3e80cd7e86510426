import type {SshTarget} from './ssh.js'

/**
 * `user@host[:port]` → the address part of an SSH target, or undefined when the text is not
 * one (the caller throws its usage error, naming its flag). The host is a name, an IPv4
 * address or an IPv6 address in brackets; the port defaults to 22.
 */
export function parseSshTarget(spec: string): Pick<SshTarget, 'username' | 'host' | 'port'> | undefined {
  const m = /^([^@\s:[\]]+)@([A-Za-z0-9._-]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?$/.exec(spec)
  if (!m) return undefined
  const port = m[3] ? Number(m[3]) : 22
  if (port < 1 || port > 65_535) return undefined
  return {username: m[1]!, host: m[2]!.replace(/^\[|\]$/g, ''), port}
}
