import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {DIFF_MAX_LINES, unifiedDiff} from '../../../src/firewalls/plan.js'

// `firewalls plan --diff` used to write both versions to temporary files and run `diff -u`; it
// now diffs in memory with jsdiff. The output must stay what diff(1) prints: held here against
// the real GNU diff (diffutils) on the same inputs.

const dir = mkdtempSync(join(tmpdir(), 'alpi-plan-diff-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function gnuDiff(path: string, before: string, after: string): string {
  writeFileSync(join(dir, 'a'), before)
  writeFileSync(join(dir, 'b'), after)
  try {
    return execFileSync('diff', ['-u', '--label', `deployed ${path}`, '--label', `planned ${path}`, join(dir, 'a'), join(dir, 'b')], {
      encoding: 'utf8',
    })
  } catch (error) {
    return (error as {stdout: string}).stdout // exit 1: the files differ
  }
}

const lines = (n: number, line = (i: number) => `address=/site-${i}.test/0.0.0.0`) =>
  Array.from({length: n}, (_, i) => line(i)).join('\n') + '\n'

describe('the plan diff against GNU diff -u', () => {
  const cases: [string, string, string][] = [
    ['a new file', '', lines(5)],
    ['a removed content', lines(5), ''],
    ['one line changed', lines(10), lines(10, (i) => (i === 4 ? 'address=/casino.test/0.0.0.0' : `address=/site-${i}.test/0.0.0.0`))],
    ['two hunks', lines(60), lines(60, (i) => (i === 3 || i === 50 ? `# changed ${i}` : `address=/site-${i}.test/0.0.0.0`))],
    [
      'close changes in one hunk',
      lines(40),
      lines(40, (i) => (i === 10 || i === 15 ? `# changed ${i}` : `address=/site-${i}.test/0.0.0.0`)),
    ],
    ['lines added at the end', lines(8), lines(12)],
    ['no final newline before', 'a\nb', 'a\nb\n'],
    ['no final newline after', 'a\nb\n', 'a\nc'],
    ['one line each', 'interface=eth1\n', 'interface=eth2\n'],
  ]
  it.each(cases)('Given %s, When diffed, Then the output is byte for byte what diff -u prints', async (_name, before, after) => {
    const path = '/etc/dnsmasq.d/alpi.conf'
    const ours = await unifiedDiff(path, before, after)
    expect(ours).toEqual({diff: gnuDiff(path, before, after), truncated: false})
  })

  it('Given the same content (only the mode changed), When diffed, Then there is no diff, as diff -u prints none', async () => {
    expect(await unifiedDiff('/etc/x', lines(3), lines(3))).toEqual({diff: gnuDiff('/etc/x', lines(3), lines(3)), truncated: false})
  })

  it('Given a diff longer than DIFF_MAX_LINES, When diffed, Then it is cut there and says how many lines were left out', async () => {
    const before = lines(DIFF_MAX_LINES)
    const after = lines(DIFF_MAX_LINES, (i) => `server=/s${i}.test/10.0.0.1`)
    const full = gnuDiff('/etc/x', before, after).split('\n')
    const r = await unifiedDiff('/etc/x', before, after)
    expect(r.truncated).toBe(true)
    expect(r.diff).toBe(full.slice(0, DIFF_MAX_LINES).join('\n') + `\n... (${full.length - DIFF_MAX_LINES} more lines)\n`)
  })
})
