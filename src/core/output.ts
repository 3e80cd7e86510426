import {Chalk, type ChalkInstance} from 'chalk'
import {language} from './i18n.js'
import {redactSecrets} from './redact.js'

/**
 * Where services talk to the person: never stdout (stdout carries results only).
 * info/debug/progress go to stderr; warnings are also collected for the --json envelope.
 */
export interface Output {
  readonly json: boolean
  readonly verbose: boolean
  /** stderr is a terminal and animation is allowed. */
  readonly interactiveDisplay: boolean
  readonly color: ChalkInstance
  readonly warnings: string[]
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
  /**
   * A line redrawn in place (a progress bar, terminals only): other messages are written
   * above it and it is drawn again below them; live(null) ends it on its own line.
   */
  live(text: string | null): void
  /** The stream for progress displays (listr2 and the like). */
  readonly stream: NodeJS.WritableStream
}

export interface OutputOptions {
  json?: boolean
  verbose?: boolean
  noColor?: boolean
  quiet?: boolean
  stream?: NodeJS.WritableStream & {isTTY?: boolean}
  env?: NodeJS.ProcessEnv
}

export function colorEnabled(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv, noColor = false): boolean {
  if (noColor) return false
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.TERM === 'dumb') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY)
}

export function createOutput(opts: OutputOptions = {}): Output {
  const env = opts.env ?? process.env
  const stream = opts.stream ?? process.stderr
  const useColor = colorEnabled(stream, env, opts.noColor)
  const color = new Chalk({level: useColor ? 1 : 0})
  const warnings: string[] = []
  let liveText: string | null = null
  const write = (raw: string) => {
    const line = redactSecrets(raw)
    const text = line.endsWith('\n') ? line : line + '\n'
    stream.write(liveText === null ? text : `\r\u001B[2K${text}${liveText}`)
  }
  return {
    json: Boolean(opts.json),
    verbose: Boolean(opts.verbose),
    interactiveDisplay: Boolean((stream as {isTTY?: boolean}).isTTY) && !env.CI && useColor,
    color,
    warnings,
    stream,
    info(message) {
      if (!opts.quiet) write(message)
    },
    warn(message) {
      warnings.push(redactSecrets(message))
      // French typography puts a space before the colon
      write(color.yellow(`${language() === 'fr' ? 'Attention :' : 'Warning:'} ${message}`))
    },
    debug(message) {
      if (opts.verbose) write(color.dim(message))
    },
    live(text) {
      if (text === null) {
        if (liveText !== null) stream.write('\n')
        liveText = null
        return
      }
      liveText = text
      stream.write(`\r\u001B[2K${text}`)
    },
  }
}

/** An Output that records everything (for tests and for embedding). */
export function memoryOutput(): Output & {lines: string[]} {
  const lines: string[] = []
  const stream = {
    write(chunk: string | Uint8Array) {
      lines.push(String(chunk).replace(/\n$/, ''))
      return true
    },
    isTTY: false,
  } as unknown as NodeJS.WritableStream & {isTTY: boolean}
  const out = createOutput({stream, env: {NO_COLOR: '1'}, verbose: true})
  return Object.assign(out, {lines})
}
