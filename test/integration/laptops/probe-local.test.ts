import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {serialProblem} from '../../../src/laptops/model.js'
import {showStored} from '../../../src/laptops/messages/index.js'
import {collectSnapshot, localRunner, probe, probeWarningText, type CommandRunner} from '../../../src/laptops/probe.js'
import {
  dmiProblem,
  parseCpuinfo,
  parseLsblk,
  parseMeminfo,
  parseSmartctl,
  ramFromMemTotal,
  smartProblem,
  type ProbeSnapshot,
} from '../../../src/laptops/probe-parse.js'
import {getLaptop} from '../../../src/laptops/records.js'
import {REPO_ROOT, sqliteStore, tempDir, testContext} from '../../helpers/context.js'

/**
 * Given this very machine (a VM or a laptop, with or without DMI tables) and its real tools
 * (dmidecode, lsblk, smartctl, /proc, /sys/class/power_supply), when `laptops probe` runs
 * locally, then every fact of the snapshot equals what the test reads itself from the same
 * tools or files. Which branch is asserted depends on what the real dmidecode does here.
 * The only stand-in is a dmidecode that fails like on a machine without DMI tables (the last
 * test), so that the fallbacks are also exercised on a machine that has DMI tables.
 */
const FX = join(REPO_ROOT, 'test/fixtures/laptops/probe')
const fx = (name: string) => readFileSync(join(FX, name), 'utf8')

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, {encoding: 'utf8'})
  return {code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? ''}
}

const memTotalBytes = () => Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024
const lastLine = (s: string) => s.trim().split('\n').at(-1)!.trim()

/** The disks as plain lsblk sees them, minus the removable ones and those backed by RAM (under /sys/devices/virtual, like zram swap). */
function lsblkDisks(): {path: string; sizeBytes: number}[] {
  const data = JSON.parse(run('lsblk', ['-J', '-b', '-d']).stdout) as {
    blockdevices: {name: string; type: string; size: number; rm: boolean | string}[]
  }
  return data.blockdevices
    .filter((d) => d.type === 'disk' && !(d.rm === true || d.rm === '1'))
    .filter((d) => !readlinkSync(`/sys/block/${d.name}`).includes('/devices/virtual/'))
    .map((d) => ({path: `/dev/${d.name}`, sizeBytes: Number(d.size)}))
}

/** The batteries of /sys/class/power_supply, read directly. */
function sysBatteries(): {name: string; full: number | null; design: number | null}[] {
  const dir = '/sys/class/power_supply'
  const out: {name: string; full: number | null; design: number | null}[] = []
  for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
    const read = (f: string) => (existsSync(join(dir, name, f)) ? readFileSync(join(dir, name, f), 'utf8').trim() : undefined)
    if (read('type') !== 'Battery') continue
    const basis = read('energy_full_design') ? 'energy' : 'charge'
    const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : null)
    out.push({name, full: num(read(`${basis}_full`)), design: num(read(`${basis}_full_design`))})
  }
  return out
}

describe('laptops probe on this machine (real tools)', {timeout: 120_000}, () => {
  let s: Awaited<ReturnType<typeof sqliteStore>>
  const dmiSerial = run('dmidecode', ['-s', 'system-serial-number'])
  const dmiWorks = dmiSerial.code === 0
  const usableSerial = dmiWorks && !serialProblem(dmiSerial.stdout.trim()) ? dmiSerial.stdout.trim() : null
  const label = `LOCAL-${process.pid}`
  beforeAll(async () => {
    s = await sqliteStore()
  })
  afterAll(async () => {
    await s?.cleanup()
  })

  it('without a usable firmware serial, --serial is required; with one, the firmware serial is used', async () => {
    const ctx = testContext(s.store)
    if (usableSerial === null) {
      await expect(probe(ctx, {})).rejects.toMatchObject({
        code: 'USAGE',
        exitCode: 2,
        message: expect.stringMatching(/--serial/),
        actions: [expect.stringMatching(/--serial SERIAL/)],
      })
      // the warning saying why came first, and nothing was stored
      expect(ctx.out.warnings[0]).toMatch(/dmidecode/)
      expect(await s.store.db.selectFrom('laptops').select('serial').execute()).toEqual([])
    } else {
      const r = await probe(ctx, {})
      expect(r.serial).toBe(usableSerial)
      expect(r.snapshot.system.serial).toBe(usableSerial)
    }
  })

  it('collects disks, SMART, RAM, CPU, batteries and the DMI outcome as the real tools give them, and stores them', async () => {
    const ctx = testContext(s.store)
    const memBefore = memTotalBytes()
    const r = await probe(ctx, {serial: label})
    const snap = r.snapshot
    const memAfter = memTotalBytes()
    expect([r.serial, r.created, snap.source]).toEqual([label, true, 'local'])

    // disks: lsblk's own list of non-removable, non-RAM disks, paths and sizes
    const internal = snap.disks.filter((d) => !d.removable).map((d) => ({path: d.path, sizeBytes: d.sizeBytes}))
    expect(internal).toEqual(lsblkDisks())
    expect(internal.length).toBeGreaterThan(0)

    // SMART per internal disk: data when smartctl itself identifies the device, null (and a warning) otherwise
    for (const d of snap.disks.filter((x) => !x.removable)) {
      const sm = run('smartctl', ['-j', '-a', d.path])
      let json: {device?: unknown; serial_number?: string} = {}
      try {
        json = JSON.parse(sm.stdout)
      } catch {
        // not JSON: smartctl could not read this disk, which hasData below says
      }
      const hasData = (sm.code & 3) === 0 && Boolean(json.device)
      if (hasData) {
        expect(d.smart).toEqual(expect.objectContaining({protocol: parseSmartctl(sm.stdout).protocol}))
      } else {
        expect(d.smart).toBeNull()
        expect(snap.warnings!.map((w) => `${w.source}: ${probeWarningText(w, 'en')}`)).toContainEqual(
          expect.stringContaining(`smartctl: no SMART data for ${d.path}`),
        )
      }
    }

    // batteries: exactly those of /sys/class/power_supply
    expect(snap.batteries.map((b) => ({name: b.name, full: b.full, design: b.design}))).toEqual(sysBatteries())

    // dmidecode: what `dmidecode -s system-serial-number` does here decides the branch
    if (!dmiWorks) {
      expect(snap.system).toMatchObject({
        serial: null,
        maker: null,
        model: null,
        product: null,
        uuid: null,
        ramSource: 'meminfo',
        cpuSource: 'cpuinfo',
      })
      expect(snap.warnings!.map((w) => `${w.source}: ${probeWarningText(w, 'en')}`)).toContainEqual(
        expect.stringMatching(new RegExp(`^dmidecode: .*${lastLine(dmiSerial.stderr).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)),
      )
      expect(showStored(snap.system.serialProblem!, 'en')).toContain(lastLine(dmiSerial.stderr))
    } else if (usableSerial === null) {
      expect(snap.system.serial).toBeNull()
      expect(snap.warnings!.map((w) => `${w.source}: ${probeWarningText(w, 'en')}`)).toContainEqual(
        expect.stringMatching(/^dmidecode: no usable serial/),
      )
    } else {
      expect(snap.system.serial).toBe(usableSerial)
      expect(snap.warnings!.filter((w) => w.source === 'dmidecode')).toEqual([])
    }

    // RAM: from DMI, installed RAM holds at least what the kernel manages; from /proc/meminfo, exact
    if (snap.system.ramSource === 'dmidecode') {
      expect(snap.system.ramBytes).toBeGreaterThanOrEqual(memAfter)
    } else {
      expect(snap.system.ramSource).toBe('meminfo')
      expect([memBefore, memAfter]).toContain(snap.system.memTotalBytes)
      expect(snap.system.ramBytes).toBe(Math.ceil(snap.system.memTotalBytes! / 1024 ** 3) * 1024 ** 3)
      expect(snap.warnings!.map((w) => `${w.source}: ${probeWarningText(w, 'en')}`)).toContainEqual(
        expect.stringContaining(`MemTotal ${snap.system.memTotalBytes! / 1024} kB`),
      )
    }

    // CPU: from /proc/cpuinfo when DMI has none
    if (snap.system.cpuSource === 'cpuinfo') {
      const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
      expect(snap.system.threads).toBe(cpuinfo.match(/^processor\s*:/gm)!.length)
      const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.replace(/\s+/g, ' ').trim() ?? null
      expect(snap.system.cpu).toBe(model)
    } else {
      expect(snap.system.cpuSource).toBe('dmidecode')
      expect(snap.system.cpu).toEqual(expect.any(String))
    }

    // every warning of the snapshot was told to the person, nothing else
    expect(ctx.out.warnings).toEqual(snap.warnings!.map((w) => probeWarningText(w, 'en')))

    // stored on the record, as it came back
    const l = await getLaptop(s.store.db, label)
    expect(l.state).toBe('received')
    expect(JSON.parse(l.snapshot!)).toEqual(snap)
    const a = await s.store.db.selectFrom('audit_log').selectAll().where('entity_id', '=', label).execute()
    expect(a).toHaveLength(1)
  })

  it('the fallbacks go through the runner (so that SSH gets them too): a dmidecode failing like on a machine without DMI tables', async () => {
    // The stand-in: a dmidecode printing the output recorded on a VM without DMI tables, exit 1.
    const dir = tempDir('alpi-probe-local-')
    try {
      const bin = join(dir.path, 'bin')
      mkdirSync(bin)
      writeFileSync(
        join(bin, 'dmidecode'),
        `#!/bin/sh\ncat '${join(FX, 'dmidecode-nodmi.stdout.txt')}'\ncat '${join(FX, 'dmidecode-nodmi.stderr.txt')}' >&2\nexit 1\n`,
      )
      chmodSync(join(bin, 'dmidecode'), 0o755)
      const base = localRunner()
      const calls: string[][] = []
      // the same PATH trick as --tools-path, recording what the collector asks for
      const runner: CommandRunner = {
        source: 'local',
        run: (argv) => (calls.push(argv), base.run(['env', `PATH=${bin}:${process.env.PATH}`, ...argv])),
      }
      const warned: string[] = []
      const snap: ProbeSnapshot = await collectSnapshot(runner, {warn: (w) => warned.push(w)})
      expect(calls.map((c) => c.slice(0, 2).join(' '))).toEqual(expect.arrayContaining(['cat /proc/meminfo', 'cat /proc/cpuinfo']))
      expect(snap.system).toMatchObject({serial: null, maker: null, uuid: null, ramSource: 'meminfo', cpuSource: 'cpuinfo'})
      expect(snap.system.memTotalBytes).toBe(memTotalBytes())
      expect(snap.system.threads).toBe(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)!.length)
      // stored as a code and params (no sentence), told in either language
      expect(snap.warnings![0]).toEqual({
        source: 'dmidecode',
        code: 'dmiFailed',
        params: {
          reason: {code: 'exitDetail', params: {code: 1, detail: '/dev/mem: No such file or directory'}},
          where: {code: 'here', params: {}},
        },
      })
      expect(probeWarningText(snap.warnings![0]!, 'en')).toBe(
        'dmidecode gave no system facts on this machine (exit 1: /dev/mem: No such file or directory): serial, maker, model and UUID unknown',
      )
      expect(probeWarningText(snap.warnings![0]!, 'fr')).toBe(
        "dmidecode n'a donné aucune information système sur cette machine (code de sortie 1 : /dev/mem: No such file or directory) : numéro de série, fabricant, modèle et UUID inconnus",
      )
      expect(warned).toHaveLength(snap.warnings!.length)
      // a label serial that is itself a placeholder is refused, naming the flag
      const ctx = testContext(s.store)
      await expect(probe(ctx, {toolsPath: bin, serial: 'Default string'})).rejects.toMatchObject({
        code: 'USAGE',
        message: expect.stringMatching(/^--serial "Default string" is not usable/),
      })
    } finally {
      dir.cleanup()
    }
  })
})

// Outputs recorded on a VM without DMI tables (see the fixtures' README).
describe('probe parsers on outputs recorded on a VM', () => {
  it('dmidecode without DMI tables: exit 1 and the reason from stderr; exit 0 without a System Information record is no better', () => {
    expect(showStored(dmiProblem(1, fx('dmidecode-nodmi.stdout.txt'), fx('dmidecode-nodmi.stderr.txt'))!, 'en')).toBe(
      'exit 1: /dev/mem: No such file or directory',
    )
    expect(showStored(dmiProblem(0, '# dmidecode 3.4\n# No SMBIOS nor DMI entry point found, sorry.\n', '')!, 'en')).toBe(
      'no System Information record: # No SMBIOS nor DMI entry point found, sorry.',
    )
    expect(dmiProblem(0, fx('dmidecode-qemu.txt'), '')).toBeNull()
  })

  it('lsblk: a zram swap device is no disk of the laptop', () => {
    expect(parseLsblk(fx('lsblk-vm-zram.json')).map((d) => [d.path, d.sizeBytes, d.removable])).toEqual([['/dev/vda', 274877906944, false]])
  })

  it("smartctl on a virtio disk: no SMART data, with smartctl's own reason; bit 2 alone keeps the data", () => {
    expect(smartProblem(1, fx('smartctl-virtio-unknown.json'))).toBe('/dev/vda: Unable to detect device type')
    expect(smartProblem(0, fx('smartctl-nvme.json'))).toBeNull()
    expect(smartProblem(4, fx('smartctl-nvme.json'))).toBeNull()
    expect(smartProblem(8, fx('smartctl-nvme-worn.json'))).toBeNull()
    expect(showStored(smartProblem(2, '', 'Smartctl open device: /dev/sdz failed: No such device')!, 'en')).toBe(
      'no JSON from smartctl (exit 2: Smartctl open device: /dev/sdz failed: No such device)',
    )
  })

  it('/proc/meminfo and /proc/cpuinfo', () => {
    expect(parseMeminfo(fx('meminfo-vm.txt'))).toBe(24683620 * 1024)
    expect(ramFromMemTotal(24683620 * 1024)).toBe(24 * 1024 ** 3)
    expect(ramFromMemTotal(4 * 1024 ** 3)).toBe(4 * 1024 ** 3)
    expect(parseMeminfo('MemFree: 1 kB\n')).toBeNull()
    expect(parseCpuinfo(fx('cpuinfo-vm.txt'))).toEqual({cpu: 'AMD EPYC', cores: 2, threads: 2})
    expect(parseCpuinfo('')).toEqual({cpu: null, cores: null, threads: null})
  })
})
