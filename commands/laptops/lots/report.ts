import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {donorReport} from '../../../src/laptops/lots.js'
import {ws} from '../../../src/laptops/messages/index.js'

export class LaptopsLotsReport extends BaseCommand<typeof LaptopsLotsReport> {
  static override readOnly = true
  static override summary = "The donor's end-of-lot report (French PDF): numbers, erasure certificates, communes reached, no personal data"
  static override description = `For the donor who asks for proof of erasure and of social use: the lot's counts, every
erasure certificate of its laptops, and the communes where they were given. No beneficiary's
name or reference: people are counted by commune only.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops lots report LOT-2026-03 --out bilan-LOT-2026-03.pdf']
  static override args = {lot: Args.string({description: 'Lot code', required: true})}
  static override flags = {out: Flags.string({description: 'PDF file to write', required: true})}

  public async run() {
    const r = await donorReport(await this.context(), {lot: this.args.lot, out: this.flags.out, organisation: this.appConfig.organisation})
    this.print(
      ws('donorReportWritten', {file: r.file, given: r.lot.given, certificates: r.certificates.length, communes: r.communes.length}),
    )
    return r
  }
}
