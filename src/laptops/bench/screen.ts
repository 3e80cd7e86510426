import {createInterface} from 'node:readline'
import {bt} from '../messages/index.js'
import type {BenchStation, PanelRow} from './station.js'

/**
 * The bench station's terminal: raw-mode keys (a barcode scanner is a keyboard that types a
 * line and Enter) and a live area redrawn with log-update: plain ANSI cursor moves, so it
 * works over SSH and on the Linux console of the live USB key, no full-screen library.
 * Without a terminal (a pipe, a script), scans are read as lines and the events printed as
 * plain lines: what the benchmark and scripted runs use.
 */
export interface ScreenOptions {
  input: NodeJS.ReadStream
  output: NodeJS.WriteStream
  title: string
  tty: boolean
}

const QUIT = new Set(['QUIT', 'QUITTER'])

export interface ScreenHandle {
  /** say() and changed() of the station's events go here */
  say(text: string, kind: 'info' | 'error' | 'ok'): void
  changed(): void
  /** runs until QUIT, Ctrl-C, or the end of a piped input (then waits for the jobs) */
  run(station: BenchStation): Promise<'quit' | 'eof'>
}

export async function benchScreen(opts: ScreenOptions): Promise<ScreenHandle> {
  const messages: {text: string; kind: string}[] = []
  let station: BenchStation | undefined
  let buffer = ''
  let draw: ((text: string) => void) & {done?: () => void} = () => undefined
  if (opts.tty) {
    const {createLogUpdate} = await import('log-update')
    draw = createLogUpdate(opts.output, {showCursor: true})
  }
  let pending: NodeJS.Timeout | undefined
  const render = () => {
    if (!opts.tty || !station) return
    if (pending) return
    pending = setTimeout(() => {
      pending = undefined
      draw(screenText(opts.title, station!.panel(), messages, station!.prompt(), buffer, opts.output.columns ?? 100))
    }, 30)
  }
  const handle: ScreenHandle = {
    say(text, kind) {
      if (!opts.tty) {
        opts.output.write(`${text}\n`)
        return
      }
      messages.push({text, kind})
      if (messages.length > 6) messages.shift()
      render()
    },
    changed: render,
    async run(s) {
      station = s
      render()
      const ticker = setInterval(render, 1000)
      try {
        return opts.tty ? await rawLoop(s) : await lineLoop(s)
      } finally {
        clearInterval(ticker)
        if (pending) clearTimeout(pending)
        if (opts.tty) {
          draw(screenText(opts.title, s.panel(), messages, '', '', opts.output.columns ?? 100))
          draw.done?.()
        }
      }
    },
  }

  /** Keys one by one; each is handled before the next (a scanner types faster than a store writes). */
  function rawLoop(s: BenchStation): Promise<'quit'> {
    return new Promise((resolve) => {
      const input = opts.input
      input.setRawMode(true)
      input.setEncoding('utf8')
      input.resume()
      let chain = Promise.resolve()
      const stop = () => {
        input.off('data', onData)
        input.setRawMode(false)
        input.pause()
        resolve('quit')
      }
      const onData = (data: string) => {
        for (const ch of data) {
          chain = chain.then(async () => {
            if (ch === '\u0003' || ch === '\u0004') return stop()
            if (ch === '\u007F' || ch === '\b') {
              buffer = buffer.slice(0, -1)
              return render()
            }
            if (ch === '\r' || ch === '\n') {
              const line = buffer
              buffer = ''
              if (QUIT.has(line.trim().toUpperCase())) return stop()
              if (line === '' && s.isKey('\r')) return s.key('\r')
              return s.line(line)
            }
            if (buffer === '' && s.isKey(ch)) return s.key(ch)
            if (ch >= ' ') buffer += ch
            render()
          })
        }
      }
      input.on('data', onData)
    })
  }

  /** Lines from a pipe: a line during the checklist or the grade is a run of keys. */
  async function lineLoop(s: BenchStation): Promise<'quit' | 'eof'> {
    const rl = createInterface({input: opts.input, crlfDelay: Infinity})
    for await (const line of rl) {
      if (QUIT.has(line.trim().toUpperCase())) {
        rl.close()
        return 'quit'
      }
      if (line === '' && s.isKey('\r')) await s.key('\r')
      else if ([...line].every((ch) => s.isKey(ch)) && line !== '') for (const ch of line) await s.key(ch)
      else await s.line(line)
    }
    await s.idle()
    return 'eof'
  }

  return handle
}

function clock(seconds: number | null): string {
  if (seconds === null) return '-'
  const m = Math.floor(seconds / 60)
  return `${m}:${String(seconds % 60).padStart(2, '0')}`
}

/** The whole live area: title, panel, the last messages and the prompt with what is typed. */
export function screenText(
  title: string,
  rows: PanelRow[],
  messages: {text: string; kind: string}[],
  prompt: string,
  typed: string,
  columns: number,
): string {
  const head = [bt('benchColSerial'), bt('benchColBay'), bt('benchColStep'), bt('benchColProgress'), bt('benchColLeft'), bt('benchColNote')]
  const body = rows.map((r) => [
    r.serial,
    r.bay ?? '-',
    `${bt(`step_${r.step}` as 'step_done')} (${bt(`status_${r.status}` as 'status_done')})`,
    `${r.progress}%`,
    clock(r.etaSeconds),
    r.note ?? '',
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .slice(0, columns - 1)
  const lines = [
    title,
    '',
    fmt(head),
    ...body.map(fmt),
    '',
    ...messages.map((m) => (m.kind === 'error' ? `! ${m.text}` : `  ${m.text}`).slice(0, columns - 1)),
  ]
  if (prompt) lines.push('', `${prompt}`, `> ${typed}`)
  return lines.join('\n')
}
