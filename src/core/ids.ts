/** The current time as an ISO string; overridable for reproducible documents and tests. */
export function nowIso(): string {
  const fixed = process.env.ALPI_NOW
  return fixed ? new Date(fixed).toISOString() : new Date().toISOString()
}

export function newId(): string {
  // Web Crypto's global: node:crypto (5 to 8 ms to load) only when an id is made, not at every start.
  return globalThis.crypto.randomUUID()
}

/** Today's date (YYYY-MM-DD) from the clock (ALPI_NOW honoured). */
export function today(): string {
  return nowIso().slice(0, 10)
}

/** Wait ms milliseconds; an abort wakes the wait early (it resolves: the caller checks the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      resolve()
    }
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}
