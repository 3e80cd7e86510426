import {execFileSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {shellQuote} from '../../../src/core/templates.js'
import {runAlpi} from '../../helpers/cli.js'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'
import {createLoop, loopSerialsEnv, type LoopDevice} from '../../helpers/loopdev.js'
import {snapshotWithDisk} from '../../integration/laptops/flow.js'

/**
 * The bench station in a real pseudo-terminal (tmux): a scripted "scanner" types serials and
 * keys with send-keys, the screen is read with capture-pane. The disks are real loop devices
 * (their serials declared through ALPI_TEST_DEVICE_SERIALS); the laptops' probe snapshots are
 * generated files in the probe folder, as the workshop key leaves them.
 */
const tmux = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8'})
const screen = (s: string) => tmux('capture-pane', '-p', '-J', '-t', s)

async function waitFor(session: string, test: (text: string) => boolean, ms: number, what: string): Promise<string> {
  const end = Date.now() + ms
  let text = ''
  while (Date.now() < end) {
    try {
      text = screen(session)
    } catch {
      text = '(session gone)'
    }
    if (test(text)) return text
    if (text.includes('[BUG]')) break
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${text}`)
}

/** Type like a scanner: the characters, then Enter. */
function scan(session: string, text: string): void {
  tmux('send-keys', '-t', session, '-l', text)
  tmux('send-keys', '-t', session, 'Enter')
}

function keys(session: string, ...k: string[]): void {
  tmux('send-keys', '-t', session, ...k)
}

describe('laptops bench in a terminal (tmux, loop devices)', {timeout: 600_000}, () => {
  const dir = tempDir('alpi-e2e-bench-')
  const db = join(dir.path, 'alpi.sqlite')
  const probeDir = join(dir.path, 'releves')
  const loops: LoopDevice[] = []
  const serials = ['PF1BEN01', 'PF1BEN02', 'PF1BEN03', 'PF1BEN04', 'PF1BEN05', 'PF1BEN06']
  let env: Record<string, string>
  let script: string
  const sessions: string[] = []

  beforeAll(async () => {
    mkdirSync(probeDir)
    // five small disks, and a big one for the kill: its wipe lasts long enough to be cut
    for (let i = 0; i < 5; i++) loops.push(await createLoop({sizeBytes: 32 << 20, fill: 'random'}))
    loops.push(await createLoop({sizeBytes: 768 << 20}))
    for (const s of serials) writeFileSync(join(probeDir, `${s}.json`), JSON.stringify(snapshotWithDisk(`DISK-${s}`)))
    env = {
      ALPI_TEST_DEVICE_SERIALS: loopSerialsEnv(loops.map((l, i) => [l, `DISK-${serials[i]}`])),
      ALPI_TECHNICIAN: 'tech-bench',
      ALPI_CONFIG: join(dir.path, 'config.json'),
    }
    writeFileSync(env.ALPI_CONFIG!, JSON.stringify({laptops: {grading: {minDiskGB: 1}}}))
    const img = join(dir.path, 'golden.img')
    writeFileSync(img, Buffer.concat([Buffer.alloc(2 << 20, 0x41), randomBytes(3 << 20)]))
    expect((await runAlpi(['laptops', 'images', 'add', 'golden', img, '--db', db], {env})).code).toBe(0)
    // the station as a technician starts it, in a shell script tmux runs
    script = join(dir.path, 'station.sh')
    const exports = Object.entries({...env, TERM: 'xterm', LANG: 'C.UTF-8'}).map(([k, v]) => `export ${k}=${shellQuote(v)}`)
    const cmd = [
      process.execPath,
      join(REPO_ROOT, 'bin', 'run.js'),
      'laptops',
      'bench',
      '--db',
      db,
      '--image',
      'golden',
      '--probe-dir',
      probeDir,
      '--station',
      'poste-1',
      '--out',
      join(dir.path, 'certs'),
      '--labels',
      join(dir.path, 'labels'),
      ...loops.flatMap((l) => ['--bay', l.device]),
    ]
      .map(shellQuote)
      .join(' ')
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        'unset CI NO_COLOR NODE_ENV',
        ...exports,
        `cd ${shellQuote(dir.path)}`,
        `${cmd}`,
        'echo "EXIT=$?"',
        'sleep 600',
        '',
      ].join('\n'),
    )
    chmodSync(script, 0o755)
  })
  afterAll(async () => {
    for (const s of sessions) {
      try {
        tmux('kill-session', '-t', s)
      } catch {
        /* already gone */
      }
    }
    for (const l of loops) await l.cleanup()
    dir.cleanup()
  })

  function open(name: string): string {
    tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '50', script)
    sessions.push(name)
    return name
  }

  it('takes five laptops to ready with their wipes and reimages running in parallel, 9 inputs each', async () => {
    const s = open(`alpi-bench-${process.pid}-a`)
    await waitFor(s, (t) => t.includes('Scan a laptop'), 30_000, 'the scan prompt')
    for (const serial of serials.slice(0, 5)) {
      // the scanner types the serial; the technician presses Enter for each of the 7 checks, then B
      scan(s, serial)
      keys(s, 'Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'b')
    }
    // while the first ones are still working, the panel shows several running at once
    const busy = await waitFor(s, (t) => (t.match(/\((running|done)\)/g) ?? []).length >= 5, 120_000, 'five jobs on the panel')
    expect(busy).toMatch(/LAPTOP\s+BAY\s+STEP\s+PROGRESS\s+LEFT\s+NEEDS YOU/)
    const done = await waitFor(s, (t) => (t.match(/done \(done\)/g) ?? []).length === 5, 300_000, 'five laptops done')
    for (const serial of serials.slice(0, 5))
      expect(done).toMatch(new RegExp(`${serial}\\s+/dev/loop\\d+\\s+done \\(done\\)\\s+100%.*label to stick`))
    scan(s, 'QUIT')
    const out = await waitFor(s, (t) => t.includes('EXIT='), 30_000, 'the station to close')
    expect(out).toContain('EXIT=0')
    // serial scan + 7 checks + grade: 9 inputs for each laptop
    expect(out).toMatch(
      /poste-1: 5 laptop\(s\) ready \(PF1BEN0\d(, PF1BEN0\d){4}\), 0 interrupted; inputs per laptop \(keys and scans\): 9-9/,
    )
    for (const serial of serials.slice(0, 5)) {
      const r = await runAlpi(['laptops', 'show', serial, '--db', db, '--json'], {env})
      expect(r.json().result.laptop).toMatchObject({state: 'ready', grade: 'B', image_name: 'golden'})
      expect(r.json().result.wipeCertificates).toHaveLength(1)
    }
    expect(readdirSync(join(dir.path, 'labels')).sort()).toEqual(serials.slice(0, 5).map((x) => `label-${x}.pdf`))
  })

  it('killed mid-wipe, reopened: the job is shown as interrupted, resumed, and the laptop reaches ready', async () => {
    const s = open(`alpi-bench-${process.pid}-b`)
    await waitFor(s, (t) => t.includes('Scan a laptop'), 30_000, 'the scan prompt')
    scan(s, serials[5]!)
    keys(s, 'Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'a')
    await waitFor(s, (t) => /PF1BEN06\s+\/dev\/loop\d+\s+wipe \(running\)\s+([1-9]\d?)%/.test(t), 120_000, 'the wipe under way')
    // a power cut: the station's process dies at once (SIGKILL), nothing is cleaned up
    const pid = tmux('list-panes', '-t', s, '-F', '#{pane_pid}').trim()
    const node = execFileSync('pgrep', ['-P', pid], {encoding: 'utf8'}).trim().split('\n')[0]!
    process.kill(Number(node), 'SIGKILL')
    await waitFor(s, (t) => t.includes('EXIT='), 10_000, 'the shell after the kill')
    tmux('kill-session', '-t', s)
    const state = await runAlpi(['laptops', 'show', serials[5]!, '--db', db, '--json'], {env})
    expect(state.json().result.laptop.state).toBe('diagnosed')

    const again = open(`alpi-bench-${process.pid}-c`)
    const shown = await waitFor(again, (t) => t.includes('job(s) from the last session'), 30_000, 'the resumed jobs')
    expect(shown).toContain('1 job(s) from the last session: PF1BEN06 (wipe, interrupted)')
    await waitFor(again, (t) => /PF1BEN06\s+\/dev\/loop\d+\s+done \(done\)/.test(t), 300_000, 'the resumed laptop done')
    scan(again, 'QUIT')
    await waitFor(again, (t) => t.includes('EXIT=0'), 30_000, 'the station to close')
    const r = await runAlpi(['laptops', 'show', serials[5]!, '--db', db, '--json'], {env})
    expect(r.json().result.laptop).toMatchObject({state: 'ready', grade: 'A', image_name: 'golden'})
    // one certificate: the interrupted wipe wrote none, the restarted one did
    expect(r.json().result.wipeCertificates).toHaveLength(1)
    expect(existsSync(join(dir.path, 'labels', 'label-PF1BEN06.pdf'))).toBe(true)
  })
})
