import {spawn, type ChildProcess} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {REPO_ROOT} from './context.js'

/** A folder as name → sha256 of the content (plain files; a sub-folder is named with a slash). */
export function snapshotFolder(dir: string): Record<string, string> | null {
  if (!existsSync(dir)) return null
  const snap: Record<string, string> = {}
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    snap[statSync(path).isDirectory() ? `${name}/` : name] = statSync(path).isDirectory()
      ? 'dir'
      : createHash('sha256').update(readFileSync(path)).digest('hex')
  }
  return snap
}

/**
 * Start the real binary without waiting (to kill it mid-run): same isolated environment as
 * runAlpi. `done` resolves with the exit code (null when killed by a signal).
 */
export function startAlpi(
  args: string[],
  env: Record<string, string> = {},
): {child: ChildProcess; done: Promise<{code: number | null; signal: NodeJS.Signals | null}>} {
  const isolated = join(tmpdir(), 'alpi-e2e-xdg')
  const e: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    ALPI_CONFIG: join(REPO_ROOT, '.alpi-test-no-config.json'),
    XDG_DATA_HOME: join(isolated, 'data'),
    XDG_CONFIG_HOME: join(isolated, 'config'),
    ...env,
  }
  delete e.CI
  delete e.NODE_ENV
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), ...args], {
    cwd: REPO_ROOT,
    env: e as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'ignore'],
  })
  const done = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    child.on('close', (code, signal) => resolve({code, signal})),
  )
  return {child, done}
}
