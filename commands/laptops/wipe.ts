import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {confirmSevere} from '../../src/cli/prompt.js'
import {UsageError} from '../../src/core/errors.js'
import {msg, stateName, t} from '../../src/laptops/messages/index.js'
import {wipe, wipeBatch, type WipeBatchResult} from '../../src/laptops/wipe.js'

export class LaptopsWipe extends BaseCommand<typeof LaptopsWipe> {
  static override summary = "Sanitise laptops' disks (NIST SP 800-88 Rev. 2) and write each certificate (JSON + PDF, French)"
  static override description = `Method by device: NVMe sanitize (crypto, else block erase) or format, ATA enhanced security
erase when not frozen (Purge), otherwise an overwrite with zeros plus read-back verification (Clear).
Refuses a mounted device, the disk alpi runs from, a disk that is not one of the laptop's disks
(serials from its probe snapshot), a laptop not yet diagnosed.

One disk: name its laptop with --serial (or let alpi find it from the disk's serial); severe
confirmation: type the laptop serial, or pass --confirm SERIAL in scripts.
Several disks (a multi-bay dock): repeat --device; each laptop is found from its disk's serial,
every disk is checked before anything is written (one refusal refuses the batch), then up to
--jobs disks are wiped at once, each with its own certificate. Confirmation: type the number of
disks, or pass --confirm N. A failed disk does not stop the others (exit 4 lists it).

A loop device (a disk image on a test bench) has no serial: give the one it stands for with
--device-serial SER, one device at a time (refused for any device that is not a loop device).

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops wipe --device /dev/nvme0n1 --serial PF1ABCDE',
    '<%= config.bin %> laptops wipe --device /dev/sda --serial PF1ABCDE --confirm PF1ABCDE --out certificats/',
    '<%= config.bin %> laptops wipe --device /dev/sdb --device /dev/sdc --confirm 2 --out certif/',
  ]
  static override flags = {
    device: Flags.string({description: 'Whole disk to wipe, e.g. /dev/sda (repeat for several disks)', required: true, multiple: true}),
    serial: Flags.string({description: 'Serial of the laptop the disk belongs to (one --device only)'}),
    confirm: Flags.string({description: 'The laptop serial again (one disk) or the number of disks, to confirm without a prompt'}),
    method: Flags.option({options: ['overwrite'] as const, description: 'Force an overwrite (Clear) instead of the firmware erase'})(),
    verify: Flags.option({
      options: ['sample', 'all'] as const,
      description: 'Read back samples (default) or every block',
      default: 'sample' as const,
    })(),
    jobs: integer({description: 'Disks wiped at the same time', default: 8, min: 1, max: 64}),
    out: Flags.string({description: 'Folder for the certificates (JSON and PDF)', default: '.'}),
    'device-serial': Flags.string({description: 'Loop devices only (tests), one --device: the serial the device stands for'}),
  }

  public async run(): Promise<WipeBatchResult> {
    const f = this.flags
    const ctx = await this.context()
    if (f.device.length === 1) {
      const t0 = Date.now()
      const r = await wipe(ctx, {
        device: f.device[0]!,
        serial: f.serial,
        method: f.method,
        verify: f.verify,
        outDir: f.out,
        deviceSerial: f['device-serial'],
        confirm: ({device, laptop, method}) =>
          confirmSevere(
            this.guard,
            laptop,
            t('wipeConfirmOne', {
              device: device.path,
              model: device.model ?? device.type,
              bytes: device.sizeBytes,
              serial: device.serial ?? '-',
              laptop,
              method: method.method,
            }),
            f.confirm,
          ),
      })
      const c = r.certificate
      const result: WipeBatchResult = {
        disks: [
          {
            device: c.disk.device,
            laptop: c.laptopSerial,
            status: 'ok',
            level: c.level,
            certificate: c,
            json: r.json,
            pdf: r.pdf,
            remaining: r.remaining,
          },
        ],
        ok: 1,
        failed: 0,
        bytes: c.bytesWritten,
        seconds: Math.round((Date.now() - t0) / 100) / 10,
      }
      this.print(certifiedDisks(result))
      return result
    }
    if (f.serial || f['device-serial']) throw new UsageError(msg('wipeSeveralNamed'), {actions: [msg('wipeSeveralNamedAction')]})
    // some disks failed (exit 4) or the run was interrupted (130): the certified ones are still listed
    return this.summarised(
      wipeBatch(ctx, {
        devices: f.device,
        method: f.method,
        verify: f.verify,
        outDir: f.out,
        concurrency: f.jobs,
        confirm: (targets) =>
          confirmSevere(
            this.guard,
            String(targets.length),
            t('wipeConfirmMany', {
              n: targets.length,
              list: targets
                .map((x) =>
                  t('wipeConfirmLine', {
                    device: x.dev.path,
                    model: x.dev.model ?? x.dev.type,
                    bytes: x.dev.sizeBytes,
                    disk: x.devSerial,
                    laptop: x.laptop.serial,
                    state: stateName(x.laptop.state),
                    method: x.method.method,
                  }),
                )
                .join('\n'),
            }),
            f.confirm,
          ),
      }),
      certifiedDisks,
    )
  }
}

/** The certified disks, two lines each (the failed ones are named by the error on stderr). */
function certifiedDisks(result: WipeBatchResult): string {
  const lines: string[] = []
  for (const d of result.disks) {
    const c = d.certificate
    if (d.status !== 'ok' || !c) continue
    lines.push(
      t('wiped', {
        serial: d.laptop,
        device: d.device,
        method: c.method,
        level: c.level,
        bytes: c.bytesWritten,
        verification: t(c.verification.passed ? 'passed' : 'failed'),
        blocks: c.verification.blocksChecked,
      }),
      t('certificate', {json: d.json!, pdf: d.pdf!}),
    )
  }
  return lines.join('\n')
}
