import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {runBench} from '../../src/laptops/bench/run.js'
import {bt} from '../../src/laptops/messages/index.js'

export class LaptopsBench extends BaseCommand<typeof LaptopsBench> {
  static override summary = 'The workshop bench station: scan a laptop, check it, grade it; wipe and reimage run in the background'
  static override description = `A long-running terminal station driven by a barcode scanner (a keyboard that types a line).
Scan a laptop's serial or asset tag: it is identified (recorded from its probe snapshot if
unknown), claimed for this station, probed (--probe-dir, --ssh, or --here on the laptop
itself), then the functional checklist asks one key per item (Enter = OK, N = fails:
keyboard, screen, webcam, wifi, sound, battery, ports) and the cosmetic grade (A, B, C, or a
printed GRADE-B card). A laptop that passes is wiped then reimaged in the background on the
bay (--bay) that holds its disk, and a label is printed; scan the next laptop at once.

Command cards: ALL-OK (every remaining check passes), GRADE-A/B/C, CANCEL, QUIT.
The panel lists the laptops in progress (bay, step, progress, time left) and what needs you.
Jobs are kept in the store: after a crash or QUIT, reopening the station (same --station)
shows them and resumes them from the laptop's state. Several stations may share one
PostgreSQL store: a laptop belongs to one station at a time (BENCH_CLAIMED).

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops bench --bay /dev/sdb --bay /dev/sdc --image mint-22-xfce --probe-dir /srv/atelier/releves',
    '<%= config.bin %> laptops bench --here --bay /dev/nvme0n1 --image mint-22-xfce',
  ]
  static override flags = {
    bay: Flags.string({description: 'A dock bay this station may wipe and reimage (repeat for each bay)', multiple: true, default: []}),
    image: Flags.string({description: 'Golden image written after the wipe (alpi laptops images list)'}),
    station: Flags.string({description: "This station's name (default: the host name); reopen with the same name to resume"}),
    'probe-dir': Flags.string({description: 'Folder of probe snapshots SERIAL.json left by the workshop key'}),
    ssh: Flags.string({description: 'Probe the laptop on the bench over SSH: USER@HOST[:PORT]'}),
    here: Flags.boolean({description: 'The station runs on the laptop itself: its serial comes from the DMI, no scan'}),
    out: Flags.string({description: 'Folder for the wipe certificates', default: 'certificates'}),
    labels: Flags.string({description: 'Folder for the label PDFs (without --zpl)', default: 'labels'}),
    zpl: Flags.boolean({description: 'Print labels as ZPL to laptops.labels.printer'}),
  }

  public async run() {
    const f = this.flags
    const m = f.ssh ? /^([^@]+)@([^:]+)(?::(\d+))?$/.exec(f.ssh) : null
    const ssh = m ? {username: m[1]!, host: m[2]!, port: m[3] ? Number(m[3]) : undefined} : undefined
    const r = await runBench(await this.context(), {
      station: f.station,
      image: f.image,
      bays: f.bay,
      probeDir: f['probe-dir'],
      ssh,
      here: f.here,
      outDir: f.out,
      labelsDir: f.labels,
      zpl: f.zpl,
      input: process.stdin,
      output: process.stderr,
    })
    const inputs = Object.values(r.inputs)
    this.print(
      bt('benchSummary', {
        station: r.station,
        n: r.ready.length,
        list: r.ready.length ? ` (${r.ready.join(', ')})` : '',
        interrupted: r.interrupted,
        inputs: inputs.length ? `${Math.min(...inputs)}-${Math.max(...inputs)}` : '-',
      }),
    )
    return r
  }
}
