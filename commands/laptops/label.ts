import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {printLabels, SHEET_NAMES} from '../../src/laptops/labels.js'
import {bt} from '../../src/laptops/messages/index.js'

export class LaptopsLabel extends BaseCommand<typeof LaptopsLabel> {
  static override readOnly = true
  static override summary = 'Print asset labels (asset tag, serial, grade, image, QR code) as PDF or ZPL'
  static override description = `PDF for any printer: one label per page at the configured size
(laptops.labels.widthMm / heightMm, 62 x 29 mm by default), or A4 sheets of label stock with
--sheet. ZPL goes to a Zebra printer over raw TCP (port 9100), given with --printer or
laptops.labels.printer, or to a file with --out.

The QR code holds the asset tag (the serial when the laptop has none yet), or a URL from the
template laptops.labels.qrUrl ({tag} and {serial} are replaced).

A printer that does not answer within laptops.labels.timeoutMs (5000 ms by default) or refuses
the connection: PRINTER_UNREACHABLE (exit 1), nothing is retried behind your back.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops label PF1ABCDE --out label.pdf',
    '<%= config.bin %> laptops label PF1ABCDE PF2BCDEF --sheet avery-l7160 --out planche.pdf',
    '<%= config.bin %> laptops label PF1ABCDE --zpl --printer 192.168.1.50',
  ]
  static override args = {serial: Args.string({description: 'Laptop serial (several may be given)', ignoreStdin: true, multiple: true})}
  static override flags = {
    out: Flags.string({description: 'File to write (PDF; with --zpl, the ZPL instead of printing it)'}),
    sheet: Flags.string({description: 'PDF on A4 sheets of this label stock', options: SHEET_NAMES, exclusive: ['zpl']}),
    zpl: Flags.boolean({description: 'ZPL for a Zebra printer instead of a PDF'}),
    printer: Flags.string({description: 'With --zpl: the printer, HOST or HOST:PORT (default port 9100)', dependsOn: ['zpl']}),
  }

  public async run() {
    const serials = ([] as string[]).concat(this.args.serial ?? [])
    const r = await printLabels(await this.context(), {
      serials,
      format: this.flags.zpl ? 'zpl' : 'pdf',
      out: this.flags.out,
      sheet: this.flags.sheet as never,
      printer: this.flags.printer,
    })
    this.print(
      r.printer ? bt('labelSent', {n: r.labels.length, printer: r.printer}) : bt('labelWritten', {n: r.labels.length, file: r.file ?? ''}),
    )
    return r
  }
}
