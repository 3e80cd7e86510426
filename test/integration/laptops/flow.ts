import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import type {ServiceContext} from '../../../src/context/service-context.js'
import {gradeLaptop} from '../../../src/laptops/grade.js'
import {saveSnapshot} from '../../../src/laptops/probe.js'
import {parseBatteries, parseDmidecode, parseSmartctl, type ProbeSnapshot} from '../../../src/laptops/probe-parse.js'
import {wipe} from '../../../src/laptops/wipe.js'
import {REPO_ROOT} from '../../helpers/context.js'
import type {LoopDevice} from '../../helpers/loopdev.js'

const fx = (n: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/laptops/probe', n), 'utf8')

/** A snapshot of a healthy laptop (fixture outputs) whose one internal disk has the given serial. */
export function snapshotWithDisk(diskSerial: string): ProbeSnapshot {
  return {
    version: 1,
    collectedAt: '2026-11-28T08:00:00.000Z',
    source: 'test',
    system: parseDmidecode(fx('dmidecode-thinkpad.txt')),
    batteries: parseBatteries(fx('battery-energy.txt')),
    disks: [
      {
        path: '/dev/nvme0n1',
        type: 'disk',
        model: 'TEST DISK',
        serial: diskSerial,
        sizeBytes: 256e9,
        transport: 'nvme',
        rotational: false,
        removable: false,
        smart: parseSmartctl(fx('smartctl-nvme.json')),
      },
    ],
  }
}

/** The real path up to "wiped": snapshot stored, graded A (ready verdict), wiped on its loop device. */
export async function laptopWipedOn(ctx: ServiceContext, serial: string, loop: LoopDevice, outDir: string): Promise<void> {
  const disk = `DISK-${serial}`
  await saveSnapshot(ctx, snapshotWithDisk(disk), {serial})
  await gradeLaptop(ctx, {serial, cosmetic: 'A'})
  await wipe(ctx, {device: loop.device, serial, deviceSerial: disk, outDir, confirm: async () => undefined})
}
