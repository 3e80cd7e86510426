// Bench station benchmark (not a test): alpi's own overhead per laptop at `laptops bench`, and
// the inputs (keystrokes and scans) a laptop takes from arrival to ready.
// N laptops whose disks are N tiny loop devices (SIZE MiB, so the disk I/O is a few ms), a
// golden image of 1 MiB, probe snapshots in a folder as the workshop key leaves them. The
// built binary runs as a process with the scans piped in (the station's line mode: a scanner
// is a keyboard that types a line): per laptop, its serial, Enter for each of the 7 functional
// checks, B for the grade. Measured: the station's start with no laptop (opening, store,
// resume), then the whole run; overhead per laptop = (run - start) / N, which still holds the
// tiny disk I/O (an upper bound), in wall time and in CPU time (user + system, child tools
// included: less sensitive to a busy machine). The station itself counts the inputs per laptop.
// Root (losetup), after `npm run build`.
//   npx tsx bench/laptops-bench-station.ts [laptops=10] [sizeMiB=4]
import {execFileSync, spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {parseBatteries, parseDmidecode, parseSmartctl} from '../src/laptops/probe-parse.js'

const n = Number(process.argv[2] ?? 10)
const sizeMiB = Number(process.argv[3] ?? 4)
const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'alpi-bench-station-'))
const db = join(dir, 'alpi.sqlite')
const fx = (f: string) => readFileSync(join(root, 'test/fixtures/laptops/probe', f), 'utf8')
const serial = (i: number) => `BST-${String(i).padStart(3, '0')}`
const loops: string[] = []
const env = {...process.env, ALPI_TECHNICIAN: 'bench', NO_COLOR: '1', ALPI_CONFIG: join(dir, 'config.json')}

/** One run of the binary: wall time, and CPU time (user + system, its child tools included) from /usr/bin/time. */
function alpi(args: string[], input?: string): {ms: number; cpuMs: number; stdout: string} {
  const times = join(dir, 'times')
  const t0 = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', times, process.execPath, join(root, 'bin/run.js'), ...args, '--db', db], {
    env: {...env, ALPI_TEST_DEVICE_SERIALS: loops.map((d, i) => `${d}=DISK-${serial(i)}`).join(',')},
    input,
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(`alpi ${args.slice(0, 2).join(' ')}: exit ${r.status}\n${r.stderr}`)
  const [user, sys] = readFileSync(times, 'utf8').trim().split(/\s+/).slice(-2).map(Number)
  return {ms: performance.now() - t0, cpuMs: (user! + sys!) * 1000, stdout: r.stdout}
}

try {
  writeFileSync(env.ALPI_CONFIG, JSON.stringify({laptops: {grading: {minDiskGB: 0}}}))
  const probes = join(dir, 'releves')
  mkdirSync(probes)
  for (let i = 0; i < n; i++) {
    const file = join(dir, `disk-${i}.img`)
    writeFileSync(file, randomBytes(sizeMiB << 20))
    loops.push(execFileSync('losetup', ['-f', '--show', file], {encoding: 'utf8'}).trim())
    const snapshot = {
      version: 1,
      collectedAt: '2026-11-28T08:00:00.000Z',
      source: 'bench',
      system: parseDmidecode(fx('dmidecode-thinkpad.txt')),
      batteries: parseBatteries(fx('battery-energy.txt')),
      disks: [
        {
          path: '/dev/nvme0n1',
          type: 'disk',
          model: 'BENCH DISK',
          serial: `DISK-${serial(i)}`,
          sizeBytes: 256e9,
          transport: 'nvme',
          rotational: false,
          removable: false,
          smart: parseSmartctl(fx('smartctl-nvme.json')),
        },
      ],
    }
    writeFileSync(join(probes, `${serial(i)}.json`), JSON.stringify(snapshot))
  }
  writeFileSync(join(dir, 'golden.img'), randomBytes(1 << 20))
  alpi(['laptops', 'images', 'add', 'golden', join(dir, 'golden.img')])
  const station = [
    'laptops',
    'bench',
    '--image',
    'golden',
    '--probe-dir',
    probes,
    '--station',
    'bench',
    '--out',
    join(dir, 'certs'),
    '--labels',
    join(dir, 'labels'),
    ...loops.flatMap((d) => ['--bay', d]),
  ]
  const start = alpi(station, '')
  const scans = Array.from({length: n}, (_, i) => [serial(i), '', '', '', '', '', '', '', 'b'].join('\n')).join('\n') + '\n'
  const run = alpi(station, scans)
  const summary = run.stdout.trim()
  const inputs = /inputs per laptop \(keys and scans\): (\S+)/.exec(summary)?.[1] ?? '?'
  const perLaptop = (run.ms - start.ms) / n
  console.log(`laptops: ${n}, disks of ${sizeMiB} MiB, image of 1 MiB`)
  console.log(`station start (no laptop): ${start.ms.toFixed(0)} ms`)
  console.log(`run with ${n} laptops to ready: ${run.ms.toFixed(0)} ms`)
  console.log(
    `alpi overhead per laptop (upper bound, tiny disk I/O included): ${perLaptop.toFixed(0)} ms wall, ${((run.cpuMs - start.cpuMs) / n).toFixed(0)} ms CPU (goal < 1000 ms)`,
  )
  console.log(
    `machine load when done: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${execFileSync('nproc', {encoding: 'utf8'}).trim()} core(s) (wall times grow with it; CPU times much less)`,
  )
  console.log(`inputs per laptop from arrival to ready: ${inputs} (goal <= 10)`)
  console.log(`station: ${summary}`)
} finally {
  for (const d of loops) spawnSync('losetup', ['-d', d])
  rmSync(dir, {recursive: true, force: true})
}
