import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'

// Exit codes as documented: every mistake on the command line (a bad flag value, a flag without
// its value, a command that does not exist, an argument a command does not take) exits 2, the
// message on stderr, or the --json envelope on stdout and nothing on stderr.
describe('usage errors exit 2 (process)', () => {
  const dir = tempDir('alpi-e2e-exit-')
  const env = {ALPI_DB: join(dir.path, 'alpi.sqlite'), ALPI_CONFIG: join(dir.path, 'config.json'), XDG_DATA_HOME: join(dir.path, 'data')}
  afterAll(() => dir.cleanup())

  it.each([
    [['laptops', 'allocate', '--count', '0'], /--count: 0 is too small/],
    [['laptops', 'allocate', '--count'], /--count expects a value/],
    [['laptops', 'allocate', '--count', 'abc'], /--count: "abc" is not a whole number/],
    [['laptops', 'allocate', '--bogus'], /Nonexistent flag: --bogus/],
    [['laptops', 'allocate', 'extra'], /`alpi laptops allocate` takes no argument: extra/],
    [['laptops', 'stauts'], /`alpi laptops stauts` is not a command\n\s+→ Did you mean `alpi laptops status`\?/],
    [['win7', 'shedule'], /Did you mean `alpi win7 schedule`\?/],
    [['laptops', 'stauts', '--help'], /Did you mean `alpi laptops status`\?/],
    [['--bogus'], /--bogus: no such flag before a command/],
  ])('alpi %j exits 2 with the reason on stderr only', async (args, reason) => {
    const r = await runAlpi(args, {env})
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^Error \[USAGE\]: /)
    expect(r.stderr).toMatch(reason)
  })

  it.each([
    [['laptops', 'allocate', '--count', '0', '--json']],
    [['laptops', 'allocate', '--json', '--count']],
    [['laptops', 'stauts', '--json']],
  ])('alpi %j puts the failure envelope on stdout and nothing on stderr', async (args) => {
    const r = await runAlpi(args, {env})
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('')
    expect(r.json()).toMatchObject({status: 2, name: 'UsageError', code: 'USAGE', actions: expect.any(Array), data: null})
  })

  it('suggests the closest command in French with --lang fr, in the envelope too', async () => {
    const r = await runAlpi(['laptops', 'stauts', '--json', '--lang', 'fr'], {env})
    expect(r.code).toBe(2)
    const j = r.json()
    expect(j.message).toBe("`alpi laptops stauts` n'est pas une commande")
    expect(j.actions[0]).toBe('Vouliez-vous dire `alpi laptops status` ?')
    const human = await runAlpi(['laptops', 'stauts'], {env: {...env, LANG: 'fr_FR.UTF-8'}})
    expect(human.code).toBe(2)
    expect(human.stderr).toContain('Erreur [USAGE]')
  })

  it('still shows a topic and runs a command spelt right', async () => {
    expect((await runAlpi(['laptops'], {env})).code).toBe(0)
    expect((await runAlpi(['config', 'path'], {env})).code).toBe(0)
  })
})

/** alpi on a real pseudo-terminal (util-linux `script`), `keys` typed after `delayMs`. */
function runOnTerminal(args: string[], keys: string, env: Record<string, string>): Promise<{code: number | null; output: string}> {
  return new Promise((resolvePromise, reject) => {
    const command = [process.execPath, join(REPO_ROOT, 'bin', 'run.js'), ...args].map((a) => `'${a}'`).join(' ')
    const childEnv: Record<string, string | undefined> = {...process.env, NO_COLOR: '1', ...env}
    delete childEnv.CI
    delete childEnv.NODE_ENV
    if ('CI' in env) childEnv.CI = env.CI
    const child = spawn('script', ['-qec', command, '/dev/null'], {env: childEnv as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe']})
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    // Type only once the question is on the screen (or after 5 s when none is expected).
    let typed = false
    const type = () => {
      if (typed) return
      typed = true
      child.stdin.write(keys)
    }
    child.stdout.on('data', () => (/Did you mean/.test(output) ? type() : undefined))
    setTimeout(type, 5_000).unref()
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      child.stdin.destroy()
      resolvePromise({code, output})
    })
  })
}

describe('did you mean, at a terminal', () => {
  const dir = tempDir('alpi-e2e-exit-tty-')
  const env = {
    ALPI_DB: join(dir.path, 'alpi.sqlite'),
    ALPI_CONFIG: join(dir.path, 'config.json'),
    XDG_DATA_HOME: join(dir.path, 'data'),
    XDG_CONFIG_HOME: join(dir.path, 'config'),
  }
  afterAll(() => dir.cleanup())

  it('asks "Did you mean" on a terminal; declined, it exits 2', async () => {
    const r = await runOnTerminal(['laptops', 'stauts'], 'n\r', env)
    expect(r.output).toMatch(/Did you mean laptops status\? \(Y\/n\)/)
    expect(r.code).toBe(2)
  })

  it.each([
    ['CI set', ['laptops', 'stauts'], {CI: '1'}],
    ['--no-input', ['laptops', 'stauts', '--no-input'], {}],
    ['ALPI_NO_INPUT', ['laptops', 'stauts'], {ALPI_NO_INPUT: '1'}],
  ])('never asks with %s, even on a terminal: exit 2', async (_label, args, extra) => {
    const r = await runOnTerminal(args as string[], 'y\r', {...env, ...(extra as Record<string, string>)})
    expect(r.output).not.toMatch(/\(Y\/n\)/)
    expect(r.output).toContain('Did you mean `alpi laptops status`?')
    expect(r.code).toBe(2)
  })
})
