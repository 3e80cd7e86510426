import {isatty} from 'node:tty'
import {Cancelled, UsageError} from '../core/errors.js'
import {t} from './messages/index.js'

/**
 * The only way to ask a person something. Without a TTY on stdin, with CI set or with
 * --no-input, a missing answer is a usage error naming the flag to pass instead.
 * Prompts render on stderr so stdout stays clean.
 */
export interface PromptGuard {
  interactive: boolean
  yes: boolean
}

export function canPrompt(noInput: boolean, env: NodeJS.ProcessEnv = process.env, stdin: {isTTY?: boolean} = stdinTerminal()): boolean {
  return !noInput && !env.CI && Boolean(stdin.isTTY)
}

/** Whether stdin is a terminal, without process.stdin: opening that stream costs every command a few ms. */
function stdinTerminal(): {isTTY: boolean} {
  return {isTTY: isatty(0)}
}

function refuse(what: string, flag: string): never {
  throw new UsageError(t('noTerminal', {what}), {actions: [t('passFlag', {flag})]})
}

async function prompts() {
  return import('@inquirer/prompts')
}

/** Moderate danger: ask, or --yes. */
export async function confirmAction(guard: PromptGuard, message: string): Promise<void> {
  if (guard.yes) return
  if (!guard.interactive) refuse(message, t('yesToConfirm'))
  const {confirm} = await prompts()
  const ok = await confirm({message, default: false}, {output: process.stderr})
  if (!ok) throw new Cancelled(t('notConfirmed'))
}

/** Severe danger: type the resource's name (a serial), or pass --confirm NAME in scripts. */
export async function confirmSevere(guard: PromptGuard, expected: string, message: string, given?: string): Promise<void> {
  if (given !== undefined) {
    if (given !== expected)
      throw new UsageError(t('confirmMismatch', {given, expected}), {actions: [t('confirmMismatchAction', {expected})]})
    return
  }
  if (!guard.interactive) refuse(message, `--confirm ${expected}`)
  const {input} = await prompts()
  const typed = await input({message: `${message}\n${t('typeToGoOn', {expected})}`}, {output: process.stderr})
  if (typed.trim() !== expected) throw new Cancelled(t('typedMismatch'))
}

export async function askChoice<T extends string>(guard: PromptGuard, message: string, flag: string, choices: readonly T[]): Promise<T> {
  if (!guard.interactive) refuse(message, flag)
  const {select} = await prompts()
  return select<T>({message, choices: choices.map((value) => ({value, name: value}))}, {output: process.stderr})
}
