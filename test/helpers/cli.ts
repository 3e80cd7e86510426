import {spawn} from 'node:child_process'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {REPO_ROOT} from './context.js'

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
  /** stdout parsed as JSON (throws if it is not). */
  json<T = any>(): T
}

/** How Node prints its own warnings: `(node:1234) [DEP0040] DeprecationWarning: ...`. */
const NODE_WARNING = /^\(node:\d+\) .*$/m

/**
 * Run the real binary (bin/run.js over dist/, built by `npm test`; after editing sources,
 * rebuild with `npm run build`) as a process: no TTY, CI unset unless given, an isolated
 * config and XDG folders unless given in env.
 */
export function runAlpi(
  args: string[],
  opts: {env?: Record<string, string | undefined>; input?: string | Buffer; cwd?: string; timeoutMs?: number} = {},
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    // A forgotten --db must never reach the real ~/.local/share/alpi: isolated XDG dirs.
    const isolated = join(tmpdir(), 'alpi-e2e-xdg')
    const env: Record<string, string | undefined> = {
      ...process.env,
      NO_COLOR: '1',
      ALPI_CONFIG: join(opts.cwd ?? REPO_ROOT, '.alpi-test-no-config.json'),
      XDG_DATA_HOME: join(isolated, 'data'),
      XDG_CONFIG_HOME: join(isolated, 'config'),
      ...opts.env,
    }
    delete env.CI
    delete env.NODE_ENV // vitest sets 'test', which makes oclif print development warnings
    if (opts.env && 'CI' in opts.env) env.CI = opts.env.CI
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k]
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      // stderr must be as clean on Node 24 as on 20: a runtime warning (deprecation,
      // experimental feature) is a defect of alpi, whatever the test checks.
      const warning = NODE_WARNING.exec(stderr)
      if (warning) return reject(new Error(`Node printed a warning on stderr under ${process.version}: ${warning[0]}`))
      resolvePromise({code, stdout, stderr, json: () => JSON.parse(stdout)})
    })
    if (opts.input !== undefined) child.stdin.end(opts.input)
    else child.stdin.end()
  })
}
