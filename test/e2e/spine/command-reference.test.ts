import {execFileSync} from 'node:child_process'
import {copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {REPO_ROOT} from '../../helpers/context.js'

// The command reference (`npm run readme`: docs/commands/*.md and the README's list of topics)
// is committed: it must say what the commands say. Regenerated from the built commands and
// compared, file by file. `oclif readme` joins --output-dir to the working folder, so the copy
// goes to the repository's git-ignored tmp/.
describe('command reference', () => {
  it('docs/commands and the README match the commands (run `npm run readme` after changing one)', () => {
    const script = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts.readme as string
    expect(script).toBe('oclif readme --multi --output-dir docs/commands')
    const rel = `tmp/readme-check-${process.pid}`
    const dir = join(REPO_ROOT, rel)
    mkdirSync(dir, {recursive: true})
    try {
      const readme = join(dir, 'README.md')
      copyFileSync(join(REPO_ROOT, 'README.md'), readme)
      // As `npm run readme` runs it: without vitest's NODE_ENV=test, under which oclif would load the
      // help class (package.json oclif.helpClass) from its TypeScript source instead of dist/.
      const env = {...process.env}
      delete env.NODE_ENV
      execFileSync(
        join(REPO_ROOT, 'node_modules', '.bin', 'oclif'),
        ['readme', '--multi', '--output-dir', `${rel}/docs/commands`, '--readme-path', readme],
        {cwd: REPO_ROOT, stdio: 'pipe', env},
      )
      const committed = readdirSync(join(REPO_ROOT, 'docs', 'commands')).sort()
      expect(readdirSync(join(dir, 'docs', 'commands')).sort()).toEqual(committed)
      for (const f of committed) {
        expect(readFileSync(join(dir, 'docs', 'commands', f), 'utf8'), f).toBe(readFileSync(join(REPO_ROOT, 'docs', 'commands', f), 'utf8'))
      }
      expect(readFileSync(readme, 'utf8').replaceAll(`${rel}/docs/commands`, 'docs/commands')).toBe(
        readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'),
      )
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
