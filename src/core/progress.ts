import {language} from './i18n.js'
import type {Output} from './output.js'

/**
 * Progress of long work, on stderr. On a terminal: one line redrawn in place with a bar, the
 * percentage, the amounts and the rate. Elsewhere (logs, CI, pipes): a plain line at most once
 * per interval, and always one at the end:
 *   "wipe /dev/sdb: 1048576 / 4194304 bytes (25%)"   or   "receipts: 300 / 1760"
 * Returns tick(done); call it as often as you like, with the amount done so far.
 */
export function progress(
  out: Output,
  opts: {label: string; total: number; unit?: 'bytes' | 'items'; intervalMs?: number; now?: () => number},
): (done: number) => void {
  const unit = opts.unit ?? 'bytes'
  const now = opts.now ?? Date.now
  const interactive = out.interactiveDisplay
  const interval = opts.intervalMs ?? (interactive ? 100 : 1000)
  const start = now()
  let last = -Infinity
  let finished = false
  return (done: number) => {
    if (finished) return
    const complete = done >= opts.total
    const t = now()
    if (!complete && t - last < interval) return
    last = t
    finished = complete
    const pct = opts.total > 0 ? Math.min(100, Math.floor((done / opts.total) * 100)) : 100
    if (!interactive) {
      out.info(
        unit === 'bytes'
          ? `${opts.label}${colon()}${done} / ${opts.total} ${language() === 'fr' ? 'octets' : 'bytes'} (${pct}%)`
          : `${opts.label}${colon()}${done} / ${opts.total}`,
      )
      return
    }
    const width = 24
    const filled = Math.round((pct / 100) * width)
    const seconds = (t - start) / 1000
    const amount = unit === 'bytes' ? `${humanBytes(done)} / ${humanBytes(opts.total)}` : `${done} / ${opts.total}`
    const rate = unit === 'bytes' && seconds > 0.5 ? `  ${humanBytes(done / seconds)}/s` : ''
    out.live(`${opts.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%  ${amount}${rate}`)
    if (complete) out.live(null)
  }
}

/** French typography puts a space before the colon. */
function colon(): string {
  return language() === 'fr' ? ' : ' : ': '
}

/** 1536 → "1.5 KiB" ("1,5 Kio" in French). */
export function humanBytes(n: number): string {
  const fr = language() === 'fr'
  const units = fr ? ['o', 'Kio', 'Mio', 'Gio', 'Tio'] : ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  const text = i === 0 ? String(Math.round(v)) : v.toFixed(1)
  return `${fr ? text.replace('.', ',') : text} ${units[i]}`
}
