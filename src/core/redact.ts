/**
 * The one redaction of secrets in text that leaves alpi (errors, warnings, logs, --json).
 *
 * - The userinfo of any URL (`scheme://USER:PASSWORD@host`) becomes `USER:***@`, whatever the
 *   password contains: an unencoded `/`, `@`, `:` or `#` included. The userinfo is taken up to
 *   the LAST `@` of the URL's token, so `postgres://alpi:a/b@c@db/x` hides `a/b@c`.
 * - `password=...` in a query string or a libpq keyword string becomes `password=***`.
 * - Every secret registered with `registerSecret` (the password of the store's URL, parsed
 *   when the store is opened) is replaced wherever it appears, raw or percent-encoded: an error
 *   of the pg driver that echoes the URL in a form the patterns above miss still shows nothing.
 */
const secrets = new Set<string>()

/** Remember a secret (at least 3 characters) so that every later message hides it. */
export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < 3) return
  secrets.add(secret)
  try {
    secrets.add(encodeURIComponent(secret))
  } catch {
    // a lone surrogate: the raw form is enough
  }
}

const SCHEME = /\b[a-z][a-z0-9+.-]*:\/\//gi
const TOKEN_END = /[\s"'<>`]/
const PASSWORD_PARAM = /(\bpassword\s*=\s*)('[^']*'|"[^"]*"|[^\s&;,]*)/gi

export function redactSecrets(given: string): string {
  // password=... first: its value may hold an `@` that would end a URL's userinfo further on.
  const text = given.replace(PASSWORD_PARAM, '$1***')
  // Each URL runs from its scheme to the next blank, quote or scheme; its userinfo ends at
  // the last `@` of that stretch.
  const starts = [...text.matchAll(SCHEME)].map((m) => ({at: m.index, body: m.index + m[0].length}))
  let out = ''
  let done = 0
  starts.forEach((s, i) => {
    if (s.at < done) return
    const limit = i + 1 < starts.length ? starts[i + 1]!.at : text.length
    let end = s.body
    while (end < limit && !TOKEN_END.test(text[end]!)) end++
    const token = text.slice(s.body, end)
    const at = token.lastIndexOf('@')
    out += text.slice(done, s.body)
    out += at === -1 ? token : `${redactUserinfo(token.slice(0, at))}${token.slice(at)}`
    done = end
  })
  out += text.slice(done)
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***')
  return out
}

function redactUserinfo(userinfo: string): string {
  const colon = userinfo.indexOf(':')
  // No password: the user name alone is not a secret, but a `/` in it means the URL is not
  // what it seems (a path with an @): hide it all.
  if (colon === -1) return userinfo.includes('/') ? '***' : userinfo
  const user = userinfo.slice(0, colon)
  return `${user.includes('/') ? '***' : user}:***`
}

/** Redact every string inside a JSON-like value (for --json error data). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T
  }
  return value
}
