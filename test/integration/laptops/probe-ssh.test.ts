import {chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {gradeLaptop} from '../../../src/laptops/grade.js'
import {probe} from '../../../src/laptops/probe.js'
import {getLaptop} from '../../../src/laptops/records.js'
import {trustHostKey} from '../../../src/remote/host-keys.js'
import {REPO_ROOT, sqliteStore, testContext} from '../../helpers/context.js'
import {createLab, type Lab} from '../../helpers/netns.js'
import {startSshd, type Sshd} from '../../helpers/sshd.js'

/**
 * Given a real OpenSSH sshd in a network namespace, and ON THAT HOST a folder of fake
 * dmidecode / lsblk / smartctl scripts that print the recorded fixture outputs (there is no
 * laptop hardware here) plus a fake /sys/class/power_supply tree built from the battery
 * fixture, when `probe --ssh` runs, then the snapshot comes back over SSH and is stored.
 */
const FX = join(REPO_ROOT, 'test/fixtures/laptops/probe')

function fakeHost(dir: string, dmi: string | 'none') {
  const bin = join(dir, 'bin')
  mkdirSync(bin, {recursive: true})
  cpSync(FX, join(dir, 'fx'), {recursive: true})
  const script = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n# fake ${name}: prints a recorded fixture\n${body}\n`)
    chmodSync(join(bin, name), 0o755)
  }
  // 'none': a machine without DMI tables (a VM), as recorded on this test bed; its
  // /proc/meminfo is a 4 GiB laptop's (a fake cat), so the values can only have come over SSH
  script(
    'dmidecode',
    dmi === 'none'
      ? `cat '${dir}/fx/dmidecode-nodmi.stdout.txt'\ncat '${dir}/fx/dmidecode-nodmi.stderr.txt' >&2\nexit 1`
      : `cat '${dir}/fx/${dmi}'`,
  )
  writeFileSync(join(dir, 'fx', 'meminfo-4g.txt'), 'MemTotal:        3915776 kB\nMemFree:         3000000 kB\n')
  if (dmi === 'none')
    script(
      'cat',
      `case "$1" in\n  /proc/meminfo) exec /bin/cat '${dir}/fx/meminfo-4g.txt' ;;\n  /proc/cpuinfo) exec /bin/cat '${dir}/fx/cpuinfo-vm.txt' ;;\nesac\nexec /bin/cat "$@"`,
    )
  script('lsblk', `cat '${dir}/fx/lsblk-nvme.json'`)
  script('smartctl', `[ "$3" = /dev/nvme0n1 ] || exit 2\ncat '${dir}/fx/smartctl-nvme.json'\nexit 4`)
  const bat = join(dir, 'power_supply', 'BAT0')
  mkdirSync(bat, {recursive: true})
  mkdirSync(join(dir, 'power_supply', 'AC'), {recursive: true})
  writeFileSync(join(dir, 'power_supply', 'AC', 'type'), 'Mains\n')
  for (const line of readFileSync(join(FX, 'battery-energy.txt'), 'utf8').split('\n')) {
    const m = /^([a-z_]+)=(.*)$/.exec(line)
    if (m) writeFileSync(join(bat, m[1]!), m[2] + '\n')
  }
  return {bin, power: join(dir, 'power_supply')}
}

describe('laptops probe over SSH (sshd in a netns)', () => {
  let lab: Lab
  let sshd: Sshd
  let s: Awaited<ReturnType<typeof sqliteStore>>
  beforeAll(async () => {
    lab = await createLab({hosts: ['pc1']})
    sshd = await startSshd(lab, 'pc1')
    s = await sqliteStore()
  })
  afterAll(async () => {
    await sshd?.stop()
    await lab?.cleanup()
    await s?.cleanup()
  })

  it('refuses an untrusted host key, then probes, stores and grades', async () => {
    const ctx = testContext(s.store)
    const host = fakeHost(lab.hostDir('pc1'), 'dmidecode-thinkpad.txt')
    const ssh = {host: sshd.ip, port: sshd.port, username: sshd.user, privateKeyPath: sshd.clientKeyPath}
    await expect(probe(ctx, {ssh, toolsPath: host.bin, powerSupplyDir: host.power})).rejects.toMatchObject({code: 'HOST_KEY_UNKNOWN'})
    await trustHostKey(ctx, {host: sshd.ip, port: sshd.port, fingerprint: sshd.hostKeyFingerprint})
    const r = await probe(ctx, {ssh, toolsPath: host.bin, powerSupplyDir: host.power})
    expect(r.created).toBe(true)
    expect(r.serial).toBe('PF1ABCDE')
    expect(r.snapshot.source).toBe(`ssh://${sshd.user}@${sshd.ip}`)
    expect(r.snapshot.disks).toMatchObject([{path: '/dev/nvme0n1', serial: 'S4ELNX0N123456', smart: {protocol: 'NVMe', percentageUsed: 3}}])
    expect(r.snapshot.batteries).toMatchObject([{name: 'BAT0', healthPct: 69.2}])
    const l = await getLaptop(s.store.db, 'PF1ABCDE')
    expect([l.state, l.maker, l.model]).toEqual(['received', 'LENOVO', 'ThinkPad L380'])
    const g = await gradeLaptop(ctx, {serial: 'PF1ABCDE', cosmetic: 'a'})
    expect([g.verdict, g.state]).toEqual(['ready', 'diagnosed'])
  })

  it('a QEMU-like firmware with "Default string" needs the label serial', async () => {
    const ctx = testContext(s.store)
    const host = fakeHost(join(lab.hostDir('pc1'), 'qemu'), 'dmidecode-qemu.txt')
    const ssh = {host: sshd.ip, port: sshd.port, username: sshd.user, privateKeyPath: sshd.clientKeyPath}
    await expect(probe(ctx, {ssh, toolsPath: host.bin, powerSupplyDir: host.power})).rejects.toMatchObject({
      code: 'USAGE',
      actions: [expect.stringMatching(/--serial/)],
    })
    const r = await probe(ctx, {ssh, toolsPath: host.bin, powerSupplyDir: host.power, serial: 'LABEL-0042'})
    expect(r.serial).toBe('LABEL-0042')
    const g = await gradeLaptop(ctx, {serial: 'LABEL-0042', cosmetic: 'B'})
    expect(g.verdict).toBe('needs_part')
    expect(g.findings.map((f) => f.part)).toEqual(['ram'])
  })

  it('a host without DMI tables: the probe needs --serial, then stores what it could read, with the warning', async () => {
    const ctx = testContext(s.store)
    const host = fakeHost(join(lab.hostDir('pc1'), 'nodmi'), 'none')
    const ssh = {host: sshd.ip, port: sshd.port, username: sshd.user, privateKeyPath: sshd.clientKeyPath}
    await expect(probe(ctx, {ssh, toolsPath: host.bin, powerSupplyDir: host.power})).rejects.toMatchObject({
      code: 'USAGE',
      actions: [expect.stringMatching(/--serial/)],
    })
    const r = await probe(ctx, {ssh, toolsPath: host.bin, powerSupplyDir: host.power, serial: 'LABEL-NODMI'})
    expect(r.serial).toBe('LABEL-NODMI')
    expect(r.snapshot.system).toMatchObject({serial: null, maker: null, model: null, ramSource: 'meminfo', cpuSource: 'cpuinfo'})
    // the remote host's /proc/meminfo, not this machine's: 3915776 kB, rounded up to 4 GiB
    expect(r.snapshot.system.memTotalBytes).toBe(3915776 * 1024)
    expect(r.snapshot.system.ramBytes).toBe(4 * 1024 ** 3)
    expect(r.snapshot.warnings?.map((w) => w.source)).toContain('dmidecode')
    expect(JSON.stringify(r.snapshot.warnings)).toContain('/dev/mem')
    expect(r.snapshot.disks).toMatchObject([{path: '/dev/nvme0n1', serial: 'S4ELNX0N123456'}])
  })
})
