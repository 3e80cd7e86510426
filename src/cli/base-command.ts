import {setMaxListeners} from 'node:events'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {Command, Flags, type Interfaces} from '@oclif/core'
import {loadConfig, currentActor, defaultDbPath, type AlpiConfig} from '../core/config.js'
import type {ServiceContext} from '../context/service-context.js'
import {AlpiError, BugError, Cancelled, EXIT, UsageError, toAlpiError} from '../core/errors.js'
import {render, setLanguage} from '../core/i18n.js'
import {createOutput, type Output} from '../core/output.js'
import {redactDeep, redactSecrets} from '../core/redact.js'
import {isPostgresUrl, openStore, type Store} from '../store/db.js'
import {unwrapFlagParseError} from './flags.js'
import {canPrompt, type PromptGuard} from './prompt.js'
import {t} from './messages/index.js'
import {parseErrorTexts} from './parse-errors.js'
import {coreMessages} from '../core/messages/index.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

export const EXIT_CODES_HELP = `EXIT CODES
  0    success
  1    failure (the message says what to do next)
  2    usage error (wrong or missing flag or argument)
  3    some input rows were rejected (see the rejects file); the others were kept
  4    partial failure: some targets failed, the others succeeded (a re-run retries the failed ones)
  130  cancelled`

/**
 * An error thrown while oclif parses the command line is a usage error (exit 2), whatever
 * oclif's own class says: some of them ("Flag --count expects a value") are plain CLIErrors that
 * would otherwise take the default exit 1. Flag parsers' own AlpiErrors keep their class.
 */
function asParseError(error: unknown): unknown {
  if (error instanceof AlpiError || !(error instanceof Error)) return error
  const oclif = (error as {oclif?: {exit?: number}}).oclif
  if (oclif?.exit === 0) return error
  return Object.assign(error, {oclif: {...oclif, exit: EXIT.usage}})
}

/**
 * The run's cancellation: every concurrent piece of work (a zstd per device, a wipe per disk, a
 * target of a fleet) listens to it once, so a dock of 16 disks is more than Node's default of 10
 * listeners, which is a warning here, not a leak.
 */
function abortController(): AbortController {
  const controller = new AbortController()
  setMaxListeners(1000, controller.signal)
  return controller
}

/** The --json failure envelope. Secrets (a store URL's password, whatever it contains) never leave in a message. */
export function errorEnvelope(e: AlpiError, warnings: readonly string[] = []): unknown {
  return redactDeep({
    status: e.exitCode,
    name: e.name,
    code: e.code,
    message: e.message,
    actions: e.actions,
    data: e.data ?? null,
    warnings,
  })
}

/** The human form of an error on stderr: `Error [CODE]: message`, one line per action, the stack for bugs or --verbose. */
export function writeHumanError(err: AlpiError, opts: {color?: {red: (s: string) => string}; verbose?: boolean} = {}): void {
  const red = (s: string) => (opts.color ? opts.color.red(s) : s)
  const lines = [red(`${t('error')} [${err.code}]: ${err.message}`)]
  for (const a of err.actions) lines.push(`  → ${a}`)
  if ((err instanceof BugError || opts.verbose) && (err.cause instanceof Error || err.stack)) {
    lines.push(String(err.cause instanceof Error ? err.cause.stack : err.stack))
  }
  process.stderr.write(redactSecrets(lines.join('\n')) + '\n')
}

/** Exits whose error still carries the run's result (see BaseCommand.summarised). */
const SUMMARISED_EXITS: ReadonlySet<number> = new Set([EXIT.rejected, EXIT.partial, EXIT.cancelled])

/**
 * Every alpi command: `--json` envelope, results on stdout and everything else on stderr,
 * colour only on a TTY without NO_COLOR, prompts only through the guard, typed errors
 * mapped to documented exit codes. Commands stay thin: parse, call one service, return.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    'no-input': Flags.boolean({
      description: 'Never prompt; a missing value is an error naming its flag.',
      helpGroup: 'GLOBAL',
      env: 'ALPI_NO_INPUT',
    }),
    yes: Flags.boolean({
      char: 'y',
      description: 'Answer yes to confirmations (not to severe ones, which need --confirm).',
      helpGroup: 'GLOBAL',
    }),
    verbose: Flags.boolean({description: 'More detail on stderr; stack traces on errors.', helpGroup: 'GLOBAL'}),
    'no-color': Flags.boolean({description: 'No colour (also with NO_COLOR set or when not on a terminal).', helpGroup: 'GLOBAL'}),
    lang: Flags.option({options: ['fr', 'en'] as const, description: 'Language of messages (default from LANG).', helpGroup: 'GLOBAL'})(),
    db: Flags.string({
      description: 'Store: an SQLite file path or a postgres:// URL (default: XDG data dir).',
      env: 'ALPI_DB',
      helpGroup: 'GLOBAL',
    }),
  }

  /**
   * This command never writes the store (it lists, shows, checks or reports). The store is
   * then opened read-only, with no lock and no migration (it works while another alpi writes,
   * and on a read-only mount), and a missing SQLite store is an error, never created: a typo
   * in --db must not look like an empty store. Commands that record something leave it false and create the store on
   * first use. test/e2e/spine/read-only-store.test.ts holds the list of read-only commands.
   */
  static readOnly = false

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  protected out!: Output
  protected appConfig!: AlpiConfig
  private openedStore?: Store
  private scratchDir?: string
  private readonly abort = abortController()

  public override async init(): Promise<void> {
    await super.init()
    // Language first, so that even a parse error is reported in the asked language.
    const langAt = this.argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='))
    const early = langAt === -1 ? undefined : this.argv[langAt]!.includes('=') ? this.argv[langAt]!.split('=')[1] : this.argv[langAt + 1]
    if (early === 'fr' || early === 'en') setLanguage(early)
    const {args, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    }).catch((error: unknown) => {
      // A flag parser's own error (flags.ts): oclif cannot prefix its message (made when shown),
      // so the usage error and the pointer to the help are made here.
      if (error instanceof AlpiError) {
        throw new UsageError(error.text, {
          actions: [...error.actionTexts, t.m('seeHelp', {command: this.id?.replace(/:/g, ' ') ?? ''})],
          data: error.data,
        })
      }
      throw asParseError(error)
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    this.out = createOutput({json: this.jsonEnabled(), verbose: this.flags.verbose, noColor: this.flags['no-color']})
    this.appConfig = loadConfig()
    setLanguage(this.flags.lang ?? this.appConfig.lang)
    process.once('SIGINT', () => this.abort.abort(new Cancelled(coreMessages.core.m('interrupted'))))
  }

  protected get guard(): PromptGuard {
    return {interactive: canPrompt(this.flags['no-input']), yes: this.flags.yes}
  }

  protected get templatesDir(): string {
    return join(this.config.root, 'templates')
  }

  protected get signal(): AbortSignal {
    return this.abort.signal
  }

  /** The store's location: --db, ALPI_DB, the config's db, or the XDG data dir. */
  protected dbUrl(): string {
    return this.flags.db ?? this.appConfig.db ?? defaultDbPath()
  }

  /**
   * Open the store once per command (closed in finally); a read-only command never creates it.
   * Nor does a dry run: against a store that does not exist yet it runs on an empty temporary
   * one (removed afterwards), so a mistyped --db leaves nothing behind.
   */
  protected async store(): Promise<Store> {
    if (this.openedStore) return this.openedStore
    const url = this.dbUrl()
    const dryRun = (this.flags as {'dry-run'?: boolean})['dry-run'] === true
    if (dryRun && !isPostgresUrl(url) && !existsSync(resolve(url))) {
      this.scratchDir = mkdtempSync(join(tmpdir(), 'alpi-dry-run-'))
      this.out.warn(t('dryRunNoStore', {path: resolve(url)}))
      this.openedStore = await openStore({url: join(this.scratchDir, 'alpi.sqlite'), ...this.storeOptions()})
    } else {
      // A dry run changes nothing: it reads the store as a read-only command does (no lock, no
      // migration; it works on a read-only mount).
      this.openedStore = await openStore({url, readOnly: (this.ctor as typeof BaseCommand).readOnly || dryRun, ...this.storeOptions()})
    }
    return this.openedStore
  }

  /** A writer waiting for another one says so on stderr. */
  protected storeOptions(): {onWait: (message: string) => void} {
    return {onWait: (message) => this.out.info(message)}
  }

  /** The options every service takes. */
  protected async context(): Promise<ServiceContext> {
    const store = await this.store()
    const guard = this.guard
    return {
      store,
      actor: currentActor(this.appConfig),
      command: this.id ? this.id.replace(/:/g, ' ') : 'alpi',
      out: this.out,
      config: this.appConfig,
      templatesDir: this.templatesDir,
      signal: this.signal,
      interactive: guard.interactive,
      yes: guard.yes,
    }
  }

  /** The human view of a result: stdout, only without --json. */
  protected print(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(text.endsWith('\n') ? text : text + '\n')
  }

  /**
   * A batch run and its summary: `view(result)` goes to stdout on success AND when the run
   * ends with exit 3 (rows rejected), 4 (partial failure) or 130 (interrupted) while carrying
   * its result in the error's `data`: the technician sees the same counts as on a clean run,
   * then the error and the rejects path on stderr (`catch` below). With --json nothing is
   * printed here: the failure envelope carries that same result in `data`.
   * Contract for services: an exit 3/4/130 error that has `data` holds the type they return
   * (importCsv's InputRejected holds its ImportResult; a service adding to it adds to the data).
   */
  protected async summarised<R>(work: Promise<R>, view: (result: R) => string): Promise<R> {
    let result: R
    try {
      result = await work
    } catch (error) {
      if (error instanceof AlpiError && SUMMARISED_EXITS.has(error.exitCode) && error.data !== undefined && error.data !== null)
        this.printSummary(view(error.data as R))
      throw error
    }
    this.printSummary(view(result))
    return result
  }

  /** A view with nothing to say (no disk certified) prints nothing, not an empty line. */
  private printSummary(text: string): void {
    if (text !== '') this.print(text)
  }

  protected override logJson(json: unknown): void {
    process.stdout.write(JSON.stringify(json, null, 2) + '\n')
  }

  protected override toSuccessJson(result: unknown): unknown {
    return {status: 0, result, warnings: this.out?.warnings ?? []}
  }

  protected override toErrorJson(err: unknown): unknown {
    return errorEnvelope(err as AlpiError, this.out?.warnings ?? [])
  }

  public override async catch(raw: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<void> {
    // oclif's own exits (help, version) and parse errors
    if (raw?.oclif?.exit === 0) throw raw
    let err: AlpiError
    // A flag's value refused by its parser (ours in flags.ts, or oclif's own): exit 2, naming the flag.
    const flagError = raw instanceof Error ? unwrapFlagParseError(raw.message) : undefined
    if (flagError) {
      const help = t('seeHelp', {command: this.id?.replace(/:/g, ' ') ?? ''})
      err =
        raw instanceof AlpiError
          ? new UsageError(flagError.message, {actions: [...raw.actions, help], data: raw.data})
          : new UsageError(t('flagParse', {flag: flagError.flag, detail: flagError.message.replace(/^Error: /, '')}), {actions: [help]})
    } else if (raw instanceof AlpiError) err = raw
    else if (raw?.oclif && typeof raw.oclif.exit === 'number') {
      // oclif's parse errors (exit 2) become usage errors; other oclif exits keep their code.
      const help = [t.m('seeHelp', {command: this.id?.replace(/:/g, ' ') ?? ''})]
      const message = raw.message.replace(/^Error: /, '')
      const isParseError = 'parse' in raw || raw.oclif.exit === EXIT.usage
      // oclif's English sentences become catalog messages; several reasons, one line each (the
      // language is already the asked one: init reads --lang before parsing).
      const texts = parseErrorTexts(raw.message)
      const text = texts.length === 1 ? texts[0]! : texts.map((x) => render(x)).join('\n  ')
      err = isParseError ? new UsageError(text, {actions: help}) : new AlpiError('FAILED', message, raw.oclif.exit, {actions: help})
    } else err = toAlpiError(raw)
    process.exitCode = err.exitCode
    this.out?.live(null)
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(err))
      return
    }
    // A parse error comes before init made the output: the same colour rules, from the raw argv.
    const color = (this.out ?? createOutput({json: false, verbose: false, noColor: this.argv.includes('--no-color')})).color
    writeHumanError(err, {color, verbose: this.flags?.verbose})
  }

  public override async finally(err: Error | undefined): Promise<void> {
    await this.openedStore?.close().catch(() => undefined)
    if (this.scratchDir) rmSync(this.scratchDir, {recursive: true, force: true})
    await super.finally(err)
    if (!err && process.exitCode === undefined) process.exitCode = EXIT.ok
  }
}
