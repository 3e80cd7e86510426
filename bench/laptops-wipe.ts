// Batch wipe benchmark (not a test): N loop devices of SIZE MiB (a multi-bay dock), filled with
// random bytes, then wiped with zeros and verified by reading every byte back, by
//   A) nwipe --nogui --autonuke --method=zero --verify=last --noblank DEV...   (the reference)
//   B) alpi laptops wipe --device DEV... --confirm N --verify all --jobs N    (the built binary,
//      certificates in JSON and PDF and the store records included)
// in the same run, alternating, best of RUNS each. Prints both times, the throughputs and the
// ratio (alpi throughput / nwipe throughput). Root (losetup), nwipe, after `npm run build`.
//   npx tsx bench/laptops-wipe.ts [disks=8] [sizeMiB=256] [runs=2]
import {execFileSync, spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {parseBatteries, parseDmidecode, parseSmartctl} from '../src/laptops/probe-parse.js'

const disks = Number(process.argv[2] ?? 8)
const sizeMiB = Number(process.argv[3] ?? 256)
const runs = Number(process.argv[4] ?? 2)
const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'alpi-bench-wipe-'))
const db = join(dir, 'alpi.sqlite')
const fx = (n: string) => readFileSync(join(root, 'test/fixtures/laptops/probe', n), 'utf8')
const serial = (i: number) => `BENCH-${String(i).padStart(3, '0')}`
const loops: string[] = []
const env = {...process.env, ALPI_NOW: '2026-11-28T09:00:00Z', ALPI_TECHNICIAN: 'bench', NO_COLOR: '1'}

function alpi(args: string[], extraEnv: Record<string, string> = {}): void {
  const r = spawnSync(process.execPath, [join(root, 'bin/run.js'), ...args, '--db', db], {env: {...env, ...extraEnv}, encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`alpi ${args.slice(0, 2).join(' ')}: exit ${r.status}\n${r.stderr}`)
}

function fillRandom(): void {
  const chunk = randomBytes(4 << 20)
  for (const dev of loops) {
    const fd = openSync(dev, 'r+')
    for (let off = 0; off < sizeMiB << 20; off += chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, (sizeMiB << 20) - off), off)
    fsyncSync(fd)
    closeSync(fd)
    execFileSync('blockdev', ['--flushbufs', dev])
  }
}

function allZero(): boolean {
  return loops.every((dev) => spawnSync('cmp', ['-s', '-n', String(sizeMiB << 20), dev, '/dev/zero']).status === 0)
}

const secs = (fn: () => void) => {
  const t0 = process.hrtime.bigint()
  fn()
  return Number(process.hrtime.bigint() - t0) / 1e9
}

try {
  for (let i = 0; i < disks; i++) {
    const file = join(dir, `bay${i}.img`)
    execFileSync('truncate', ['-s', `${sizeMiB}M`, file])
    loops.push(execFileSync('losetup', ['-f', '--show', file]).toString().trim())
  }
  // the laptops, their probe snapshots (one disk each, serial D-<laptop>) and a bench sheet
  writeFileSync(join(dir, 'laptops.csv'), ['serial', ...loops.map((_, i) => serial(i))].join('\n'))
  alpi(['laptops', 'import', join(dir, 'laptops.csv')])
  const snap = (i: number) => ({
    version: 1,
    collectedAt: '2026-11-28T08:00:00.000Z',
    source: 'bench',
    system: {...parseDmidecode(fx('dmidecode-thinkpad.txt')), serial: serial(i)},
    batteries: parseBatteries(fx('battery-energy.txt')),
    disks: [
      {
        path: '/dev/sda',
        type: 'disk',
        model: 'BENCH DISK',
        serial: `D-${serial(i)}`,
        sizeBytes: 256e9,
        transport: 'sata',
        rotational: false,
        removable: false,
        smart: parseSmartctl(fx('smartctl-nvme.json')),
      },
    ],
  })
  writeFileSync(join(dir, 'snapshots.jsonl'), loops.map((_, i) => JSON.stringify(snap(i))).join('\n') + '\n')
  alpi(['laptops', 'probe', '--from', join(dir, 'snapshots.jsonl')])
  writeFileSync(join(dir, 'sheet.csv'), ['serial;grade', ...loops.map((_, i) => `${serial(i)};A`)].join('\n'))
  alpi(['laptops', 'grade', '--sheet', join(dir, 'sheet.csv')])
  const serials = {ALPI_TEST_DEVICE_SERIALS: loops.map((dev, i) => `${dev}=D-${serial(i)}`).join(',')}

  const a: number[] = []
  const b: number[] = []
  for (let r = 0; r < runs; r++) {
    fillRandom()
    a.push(
      secs(() => {
        const n = spawnSync(
          'nwipe',
          ['--nogui', '--autonuke', '--method=zero', '--verify=last', '--noblank', `--logfile=${join(dir, 'nwipe.log')}`, ...loops],
          {encoding: 'utf8'},
        )
        if (n.status !== 0) throw new Error(`nwipe exit ${n.status}: ${n.stderr}`)
      }),
    )
    if (!allZero()) throw new Error('nwipe left non-zero bytes')
    fillRandom()
    b.push(
      secs(() =>
        alpi(
          [
            'laptops',
            'wipe',
            ...loops.flatMap((d) => ['--device', d]),
            '--confirm',
            String(disks),
            '--verify',
            'all',
            '--jobs',
            String(disks),
            '--out',
            join(dir, 'certs'),
          ],
          serials,
        ),
      ),
    )
    if (!allZero()) throw new Error('alpi left non-zero bytes')
  }
  const total = disks * sizeMiB
  const bestA = Math.min(...a)
  const bestB = Math.min(...b)
  console.log(`${disks} loop devices of ${sizeMiB} MiB (${total} MiB), zeros + full read-back, best of ${runs}`)
  console.log(`nwipe --method=zero --verify=last   ${bestA.toFixed(2)} s   ${(total / bestA).toFixed(0)} MiB/s`)
  console.log(
    `alpi laptops wipe --verify all      ${bestB.toFixed(2)} s   ${(total / bestB).toFixed(0)} MiB/s   (certificates JSON + PDF and store records included)`,
  )
  console.log(`ratio alpi/nwipe throughput: ${(bestA / bestB).toFixed(2)}`)
} finally {
  for (const dev of loops) spawnSync('losetup', ['-d', dev])
  rmSync(dir, {recursive: true, force: true})
}
