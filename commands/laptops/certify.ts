import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {confirmSevere} from '../../src/cli/prompt.js'
import {certifyDisk} from '../../src/laptops/certify.js'
import {t, ws} from '../../src/laptops/messages/index.js'

const WHAT = {laptop: 'certifyWhatLaptop', part: 'certifyWhatPart', win7_pc: 'certifyWhatWin7Pc'} as const

export class LaptopsCertify extends BaseCommand<typeof LaptopsCertify> {
  static override summary = 'Wipe and certify a disk that leaves: a laptop scrapped or on hold, a parts disk, an old win7 PC'
  static override description = `The same engine and certificate (JSON + French PDF) as \`laptops wipe\`, outside the
reconditioning path: no laptop moves. The disk is overwritten with zeros and read back (Clear).
--laptop: its disk must be one of the laptop's (probe snapshot). --part: the disk's own serial
names it. --win7-pc: an old PC of the win7 campaign; its certificate JSON is then accepted by
\`alpi win7 retire SERIAL --wiped-certificate FILE\`. Severe confirmation: type the serial, or
--confirm SERIAL. The scrapped laptops, parts disks and PCs certified go on the next WEEE list
(\`alpi laptops weee\`).

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops certify --device /dev/sdb --laptop PF1ABCDE --out certificats/',
    '<%= config.bin %> laptops certify --device /dev/sdc --part --confirm WD-WX12345',
    '<%= config.bin %> laptops certify --device /dev/sdb --win7-pc FX000001 --out certificats/',
  ]
  static override flags = {
    device: Flags.string({description: 'Whole disk to wipe, e.g. /dev/sdb', required: true}),
    laptop: Flags.string({description: 'Serial of the laptop (scrapped or on hold) the disk belongs to', exclusive: ['part', 'win7-pc']}),
    part: Flags.boolean({description: 'A parts disk (named by its own serial)', exclusive: ['laptop', 'win7-pc']}),
    'win7-pc': Flags.string({description: 'Serial of the old win7 PC the disk belongs to', exclusive: ['laptop', 'part']}),
    confirm: Flags.string({description: 'The serial again (laptop, PC, or the disk for --part), to confirm without a prompt'}),
    verify: Flags.option({
      options: ['sample', 'all'] as const,
      description: 'Read back samples (default) or every block',
      default: 'sample' as const,
    })(),
    out: Flags.string({description: 'Folder for the certificate (JSON and PDF)', default: '.'}),
    'device-serial': Flags.string({description: 'Loop devices only (tests): the serial the device stands for'}),
  }

  public async run() {
    const f = this.flags
    const r = await certifyDisk(await this.context(), {
      device: f.device,
      deviceSerial: f['device-serial'],
      laptop: f.laptop,
      part: f.part,
      win7Pc: f['win7-pc'],
      verify: f.verify,
      outDir: f.out,
      confirm: ({device, subject, method}) =>
        confirmSevere(
          this.guard,
          subject.ref,
          ws('certifyConfirm', {
            device: device.path,
            model: device.model ?? device.type,
            bytes: device.sizeBytes,
            serial: device.serial ?? '-',
            what: ws(WHAT[subject.kind]),
            ref: subject.ref,
            method: method.method,
          }),
          // serials are stored upper-case (a PC's, a laptop's): the one typed in lower case is the same
          f.confirm !== undefined && f.confirm.trim().toUpperCase() === subject.ref.toUpperCase() ? subject.ref : f.confirm,
        ),
    })
    const c = r.certificate
    this.print(
      [
        ws('certified', {
          subject: r.subject.ref,
          device: c.disk.device,
          method: c.method,
          level: c.level,
          verification: t(c.verification.passed ? 'passed' : 'failed'),
        }),
        t('certificate', {json: r.json, pdf: r.pdf}),
      ].join('\n'),
    )
    return r
  }
}
