import {spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {shellQuote} from '../../../src/core/templates.js'
import {runAlpi} from '../../helpers/cli.js'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'
import {createLoop, loopSerialsEnv, type LoopDevice} from '../../helpers/loopdev.js'
import {snapshotWithDisk} from '../../integration/laptops/flow.js'

/**
 * The bench as a technician sees it: `laptops wipe` on a real terminal (a pseudo-terminal
 * from util-linux `script`), where the confirmation is typed and the progress is a bar.
 */
function inTerminal(
  args: string[],
  env: Record<string, string>,
  answer: (screen: string) => string | undefined,
): Promise<{code: number | null; screen: string}> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, join(REPO_ROOT, 'bin', 'run.js'), ...args].map(shellQuote).join(' ')
    const childEnv: Record<string, string | undefined> = {...process.env, ...env, TERM: 'xterm', COLUMNS: '120'}
    for (const k of ['CI', 'NO_COLOR', 'NODE_ENV']) delete childEnv[k]
    const child = spawn('script', ['-qefc', command, '/dev/null'], {env: childEnv as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe']})
    let screen = ''
    let answered = false
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString()
      const reply = answered ? undefined : answer(screen)
      if (reply !== undefined) {
        answered = true
        child.stdin.write(reply)
      }
    })
    child.stderr.on('data', (d: Buffer) => (screen += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, screen})
    })
  })
}

describe('laptops wipe on a terminal', {timeout: 300_000}, () => {
  const dir = tempDir('alpi-e2e-wipe-tty-')
  const db = join(dir.path, 'alpi.sqlite')
  const bays: LoopDevice[] = []
  let env: Record<string, string>
  const stillRandom = () => bays.every((b) => readFileSync(b.file).some((x) => x !== 0))

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) bays.push(await createLoop({sizeBytes: 8 << 20, fill: 'random'}))
    env = {
      ALPI_TECHNICIAN: 'tech-tty',
      ALPI_CONFIG: join(dir.path, 'config.json'),
      XDG_DATA_HOME: join(dir.path, 'xdg'),
      ALPI_TEST_DEVICE_SERIALS: loopSerialsEnv(bays.map((b, i) => [b, `TTY-DISK-${i}`])),
    }
    writeFileSync(join(dir.path, 'l.csv'), 'serial\nTTY-0\nTTY-1\n')
    writeFileSync(
      join(dir.path, 's.jsonl'),
      [0, 1]
        .map((i) => JSON.stringify({...snapshotWithDisk(`TTY-DISK-${i}`), system: {...snapshotWithDisk('x').system, serial: `TTY-${i}`}}))
        .join('\n') + '\n',
    )
    writeFileSync(join(dir.path, 'g.csv'), 'serial;grade\nTTY-0;A\nTTY-1;B\n')
    for (const args of [
      ['laptops', 'import', join(dir.path, 'l.csv')],
      ['laptops', 'probe', '--from', join(dir.path, 's.jsonl')],
      ['laptops', 'grade', '--sheet', join(dir.path, 'g.csv')],
    ]) {
      const r = await runAlpi([...args, '--db', db], {env})
      expect(r.code, r.stderr).toBe(0)
    }
  })
  afterAll(async () => {
    for (const b of bays) await b.cleanup()
    dir.cleanup()
  })

  const wipeArgs = () => [
    'laptops',
    'wipe',
    ...bays.flatMap((b) => ['--device', b.device]),
    '--out',
    join(dir.path, 'certs'),
    '--db',
    db,
    '--lang',
    'en',
  ]

  it('asks to type the number of disks, lists them with their laptops; a wrong answer writes nothing (exit 130)', async () => {
    const r = await inTerminal(wipeArgs(), env, (screen) => (/Type 2 to go on/.test(screen) ? '3\r' : undefined))
    expect(r.code).toBe(130)
    expect(r.screen).toMatch(/ALL DATA on these 2 disks will be destroyed/)
    expect(r.screen).toMatch(/disk TTY-DISK-0 {2}laptop TTY-0 \(diagnosed\)/)
    expect(r.screen).toMatch(/The typed value does not match: nothing was done/)
    expect(stillRandom()).toBe(true)
  })

  it("typed right: one progress bar for the batch, the disks' lines above it, then the certificates", async () => {
    const r = await inTerminal(wipeArgs(), env, (screen) => (/Type 2 to go on/.test(screen) ? '2\r' : undefined))
    expect(r.code, r.screen).toBe(0)
    // the bar is drawn in place (carriage return, erase line) and ends at 100%
    expect(r.screen).toMatch(/\r\u001B\[2Kwipe 2 disk\(s\) \[#{24}\] 100% {2}16\.0 MiB \/ 16\.0 MiB/)
    // each disk's line is written on a cleared line, never glued to the bar
    expect(r.screen).toMatch(/\r\u001B\[2K(\u001B\[\d+m)*\/dev\/loop\d+ TTY-0: wiped and verified \(Clear\)/)
    expect(r.screen).toMatch(/TTY-1: \/dev\/loop\d+ wiped by overwrite \(Clear\)/)
    expect(bays.every((b) => readFileSync(b.file).every((x) => x === 0))).toBe(true)
  })

  it('Ctrl-C in a batch: the disk being wiped stops, those done keep their certificate, the others are untouched (exit 130)', async () => {
    const big: LoopDevice[] = []
    for (let i = 0; i < 4; i++) big.push(await createLoop({sizeBytes: 64 << 20, fill: 'random'}))
    try {
      const serials = big.map((_, i) => `INT-${i}`)
      writeFileSync(join(dir.path, 'int.csv'), ['serial', ...serials].join('\n'))
      writeFileSync(
        join(dir.path, 'int.jsonl'),
        serials
          .map((sn) => JSON.stringify({...snapshotWithDisk(`${sn}-D`), system: {...snapshotWithDisk('x').system, serial: sn}}))
          .join('\n') + '\n',
      )
      writeFileSync(join(dir.path, 'int-g.csv'), ['serial;grade', ...serials.map((sn) => `${sn};A`)].join('\n'))
      const intEnv = {...env, ALPI_TEST_DEVICE_SERIALS: loopSerialsEnv(big.map((b, i) => [b, `${serials[i]}-D`]))}
      for (const args of [
        ['laptops', 'import', join(dir.path, 'int.csv')],
        ['laptops', 'probe', '--from', join(dir.path, 'int.jsonl')],
        ['laptops', 'grade', '--sheet', join(dir.path, 'int-g.csv')],
      ]) {
        expect((await runAlpi([...args, '--db', db], {env: intEnv})).code).toBe(0)
      }
      const child = spawn(
        process.execPath,
        [
          join(REPO_ROOT, 'bin', 'run.js'),
          'laptops',
          'wipe',
          ...big.flatMap((b) => ['--device', b.device]),
          '--confirm',
          '4',
          '--jobs',
          '1',
          '--verify',
          'all',
          '--out',
          join(dir.path, 'int-certs'),
          '--db',
          db,
          '--json',
          '--lang',
          'en',
        ],
        {env: {...process.env, ...intEnv, NO_COLOR: '1', CI: undefined}},
      )
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        // the first disk is certified: the technician presses Ctrl-C
        if (/INT-0: wiped and verified/.test(stderr) && !child.killed) child.kill('SIGINT')
      })
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      expect(code, stderr).toBe(130)
      const e = JSON.parse(stdout)
      expect(e).toMatchObject({code: 'CANCELLED', message: expect.stringMatching(/^Interrupted: 1 disk\(s\) wiped and certified/)})
      expect(e.data.disks.map((d: {laptop: string; status: string}) => [d.laptop, d.status])).toEqual([
        ['INT-0', 'ok'],
        ['INT-1', 'failed'],
        ['INT-2', 'failed'],
        ['INT-3', 'failed'],
      ])
      expect(e.data.disks.slice(2).map((d: {error: {code: string}}) => d.error.code)).toEqual(['CANCELLED', 'CANCELLED'])
      expect(readFileSync(big[0]!.file).every((x) => x === 0)).toBe(true)
      for (const b of big.slice(2)) expect(readFileSync(b.file).some((x) => x !== 0)).toBe(true)
      const status = await runAlpi(['laptops', 'show', 'INT-1', '--db', db, '--json'], {env: intEnv})
      expect(status.json().result.laptop.state).toBe('diagnosed')
    } finally {
      for (const b of big) await b.cleanup()
    }
  })
})
