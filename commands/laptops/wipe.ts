import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {confirmSevere} from '../../src/cli/prompt.js'
import {t} from '../../src/laptops/messages.js'
import {wipe} from '../../src/laptops/wipe.js'

export class LaptopsWipe extends BaseCommand<typeof LaptopsWipe> {
  static override summary = 'Sanitise a laptop\'s disk (NIST SP 800-88 Rev. 2) and write the certificate (JSON + PDF, French)'
  static override description = `Method by device: NVMe sanitize (crypto, else block erase) or format, ATA enhanced security
erase when not frozen (Purge), otherwise an overwrite with zeros plus read-back verification (Clear).
Refuses a mounted device, the disk alpi runs from, a disk that is not one of the laptop's disks
(serials from its probe snapshot), a laptop not yet diagnosed. Severe: type the serial, or pass
--confirm SERIAL in scripts.

Loop devices (tests) have no serial: declare it with ALPI_TEST_DEVICE_SERIALS='/dev/loop7=SER'
or --device-serial SER (refused for any device that is not a loop device).

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops wipe --device /dev/nvme0n1 --serial PF1ABCDE', '<%= config.bin %> laptops wipe --device /dev/sda --serial PF1ABCDE --confirm PF1ABCDE --out certificats/']
  static override flags = {
    device: Flags.string({description: 'Whole disk to wipe, e.g. /dev/sda', required: true}),
    serial: Flags.string({description: 'Serial of the laptop the disk belongs to', required: true}),
    confirm: Flags.string({description: 'The laptop serial again, to confirm without a prompt'}),
    method: Flags.option({options: ['overwrite'] as const, description: 'Force an overwrite (Clear) instead of the firmware erase'})(),
    verify: Flags.option({options: ['sample', 'all'] as const, description: 'Read back samples (default) or every block', default: 'sample' as const})(),
    out: Flags.string({description: 'Folder for the certificate (JSON and PDF)', default: '.'}),
    'device-serial': Flags.string({description: 'Loop devices only (tests): the serial the device stands for'}),
  }

  public async run() {
    const f = this.flags
    const r = await wipe(await this.context(), {
      device: f.device, serial: f.serial, method: f.method, verify: f.verify, outDir: f.out, deviceSerial: f['device-serial'],
      confirm: ({device, method}) => confirmSevere(this.guard, f.serial, `ALL DATA on ${device.path} (${device.model ?? device.type}, ${device.sizeBytes} bytes, serial ${device.serial ?? 'declared'}) will be destroyed by ${method.method}.`, f.confirm),
    })
    const c = r.certificate
    this.print(t('wiped', {serial: c.laptopSerial, device: c.disk.device, method: c.method, level: c.level, bytes: c.bytesWritten, verification: t(c.verification.passed ? 'passed' : 'failed'), blocks: c.verification.blocksChecked}))
    this.print(t('certificate', {json: r.json, pdf: r.pdf}))
    return r
  }
}
