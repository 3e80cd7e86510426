import {spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {serialProblem} from '../../../src/laptops/model.js'
import {probeWarningText} from '../../../src/laptops/probe.js'
import type {ProbeWarning} from '../../../src/laptops/probe-parse.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'

/**
 * Given this very machine and its real tools, when `alpi laptops probe` runs as a process
 * (the built binary), then: without a usable firmware serial it stops with exit 2 naming
 * --serial; with --serial it stores the snapshot (exit 0), the --json envelope on stdout and
 * the warnings on stderr; `laptops show` gives back the stored snapshot. What the real
 * `dmidecode -s system-serial-number` does here decides which branch is asserted.
 */
describe('laptops probe on this machine (binary)', {timeout: 300_000}, () => {
  const dir = tempDir('alpi-e2e-laptops-probe-')
  const db = join(dir.path, 'alpi.sqlite')
  const alpi = (args: string[]) => runAlpi([...args, '--db', db, '--lang', 'en'])
  const dmi = spawnSync('dmidecode', ['-s', 'system-serial-number'], {encoding: 'utf8'})
  const firmwareSerial = dmi.status === 0 && !serialProblem(dmi.stdout.trim()) ? dmi.stdout.trim() : null
  const label = `E2E-PROBE-${process.pid}`
  afterAll(() => dir.cleanup())

  it('without --serial: exit 2 naming the flag when the firmware has no usable serial, else stored under the firmware serial', async () => {
    const r = await alpi(['laptops', 'probe', '--json'])
    const j = r.json()
    if (firmwareSerial === null) {
      expect(r.code, r.stderr).toBe(2)
      expect(j).toMatchObject({status: 2, code: 'USAGE', message: expect.stringMatching(/--serial/), data: {flag: '--serial'}})
      expect(j.warnings[0]).toMatch(/^dmidecode/)
      expect(r.stderr).toContain(`Warning: ${j.warnings[0]}`)
      // nothing stored
      const status = await alpi(['laptops', 'status', '--json'])
      expect(status.json().result).toMatchObject({total: 0})
      // the human view says it too, on stderr, and nothing on stdout
      const human = await alpi(['laptops', 'probe'])
      expect(human.code).toBe(2)
      expect(human.stdout).toBe('')
      expect(human.stderr).toMatch(/--serial SERIAL/)
    } else {
      expect(r.code, r.stderr).toBe(0)
      expect(j.result.serial).toBe(firmwareSerial)
    }
  })

  it('with --serial: exit 0, the snapshot in the envelope on stdout, warnings on stderr, stored and shown', async () => {
    const r = await alpi(['laptops', 'probe', '--serial', label, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const j = r.json()
    expect(j).toMatchObject({status: 0, result: {serial: label, created: true, snapshot: {version: 1, source: 'local'}}})
    const snap = j.result.snapshot
    expect(snap.disks.length).toBeGreaterThan(0)
    expect(snap.system.ramBytes).toBeGreaterThan(0)
    // the envelope's warnings are the snapshot's, each told on stderr; stdout is the JSON alone
    expect(j.warnings).toEqual(snap.warnings.map((w: ProbeWarning) => probeWarningText(w, 'en')))
    for (const w of j.warnings) expect(r.stderr).toContain(`Warning: ${w}`)
    expect(r.stdout).not.toMatch(/^Warning:/m)
    if (dmi.status !== 0) {
      expect(snap.system).toMatchObject({serial: null, maker: null, model: null, ramSource: 'meminfo'})
      expect(j.warnings[0]).toMatch(/^dmidecode gave no system facts on this machine/)
    }
    const shown = await alpi(['laptops', 'show', label, '--json'])
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.json().result).toMatchObject({laptop: {serial: label, state: 'received'}, snapshot: snap})

    // again, human view: facts on stdout, warnings on stderr, the record updated
    const again = await alpi(['laptops', 'probe', '--serial', label])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(new RegExp(`^${label}: `))
    expect(again.stdout).toMatch(/Snapshot stored\./)
    expect(again.stdout).not.toMatch(/Warning/)
    expect(
      again.stderr
        .split('\n')
        .filter(Boolean)
        .every((l) => l.startsWith('Warning: ')),
    ).toBe(true)
  })

  it('--no-save prints the facts without needing a serial; --from stores them later, warnings kept', async () => {
    const r = await alpi(['laptops', 'probe', '--no-save', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const file = join(dir.path, 'snap.json')
    writeFileSync(file, r.stdout)
    const snap = r.json().result.snapshot
    const from = await alpi(['laptops', 'probe', '--from', file, '--serial', `${label}-B`, '--json'])
    expect(from.code, from.stderr).toBe(0)
    const shown = await alpi(['laptops', 'show', `${label}-B`, '--json'])
    expect(shown.json().result.snapshot).toEqual(snap)
    expect(shown.json().result.snapshot.warnings).toEqual(snap.warnings)
  })
})
