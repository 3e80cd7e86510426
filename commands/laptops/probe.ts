import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {UsageError} from '../../src/core/errors.js'
import {msg, t} from '../../src/laptops/messages/index.js'
import {probe} from '../../src/laptops/probe.js'
import {parseSshTarget} from '../../src/remote/target.js'

export class LaptopsProbe extends BaseCommand<typeof LaptopsProbe> {
  static override summary = 'Read the hardware facts of this laptop, or of one over SSH, and store them on its record'
  static override description = `dmidecode (serial, maker, model, UUID, CPU, RAM), lsblk (disks), smartctl -j -a per internal
disk, battery health from /sys/class/power_supply. Run as root. A laptop not yet recorded is
recorded as received. A source that gives nothing is a warning, not a failure: without DMI
tables (a VM, not root) the serial, maker, model and UUID are unknown, RAM is estimated from
/proc/meminfo and the CPU read from /proc/cpuinfo; a disk without SMART (virtual, behind a USB
bridge) has none. When the firmware gives no usable serial (none, or a placeholder like
"Default string"), --serial is required: the label's serial. --from FILE stores a snapshot
saved earlier with --json.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops probe',
    '<%= config.bin %> laptops probe --ssh root@192.0.2.10 --key ~/.ssh/atelier',
    '<%= config.bin %> laptops probe --json --no-save > PF1ABCDE.json',
    '<%= config.bin %> laptops probe --from PF1ABCDE.json',
  ]
  static override flags = {
    ssh: Flags.string({description: 'Probe another machine: user@host[:port] (host key must be trusted: alpi hosts trust)'}),
    key: Flags.string({description: 'SSH private key file'}),
    'known-hosts': Flags.string({description: 'A known_hosts file to trust as well', multiple: true}),
    serial: Flags.string({description: "The label's serial; required when the firmware gives none or a placeholder"}),
    from: Flags.string({description: 'Store a snapshot saved earlier (JSON) instead of probing', exclusive: ['ssh']}),
    'no-save': Flags.boolean({description: 'Print the facts only, store nothing'}),
    'tools-path': Flags.string({description: "Folder with the tools to put first on PATH (a live USB's own tools)"}),
  }

  public async run() {
    const f = this.flags
    let ssh
    if (f.ssh) {
      const target = parseSshTarget(f.ssh)
      if (!target) throw new UsageError(msg('sshNotTarget', {value: f.ssh}), {actions: [msg('sshNotTargetAction')]})
      ssh = {...target, privateKeyPath: f.key, knownHostsFiles: f['known-hosts']}
    }
    const r = await probe(await this.context(), {
      ssh,
      from: f.from,
      serial: f.serial,
      save: !f['no-save'],
      toolsPath: f['tools-path'],
      powerSupplyDir: process.env.ALPI_POWER_SUPPLY_DIR,
    })
    if (r.batch) {
      this.print(t('snapshotsStored', {stored: r.batch.stored, created: r.batch.created}))
      return r
    }
    const s = r.snapshot
    const {maker, model, cpu, ramBytes} = s.system
    const serial = r.serial || t('probeNoSerial')
    this.print(
      t('probeSummary', {serial, maker: maker ?? '?', model: model ?? '?', cpu: cpu ?? 'CPU ?', ram: Math.round(ramBytes / 1024 ** 3)}),
    )
    for (const d of s.disks) {
      const smart = d.smart ? t(d.smart.passed === false ? 'probeSmartFailed' : 'probeSmartOk') : d.removable ? '' : t('probeNoSmart')
      const disk = {path: d.path, model: d.model ?? '', serial: d.serial ?? '', size: Math.round(d.sizeBytes / 1e9)}
      this.print(t('probeDisk', disk) + (d.removable ? t('probeRemovable') : '') + smart)
    }
    for (const b of s.batteries) this.print(t('probeBattery', {name: b.name, pct: b.healthPct ?? '?'}))
    if (s.batteries.length === 0) this.print(t('probeNoBattery'))
    if (!f['no-save']) this.print(t(r.created ? 'recordedNew' : 'snapshotStored'))
    return r
  }
}
