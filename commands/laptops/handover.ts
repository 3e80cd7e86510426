import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {importFlags} from '../../src/cli/import-flags.js'
import {UsageError} from '../../src/core/errors.js'
import {handoverBatchSummary} from '../../src/laptops/format.js'
import {handover, handoverBatch} from '../../src/laptops/giving.js'
import {handoverScan} from '../../src/laptops/bench/handover-scan.js'
import {bt, msg, t} from '../../src/laptops/messages/index.js'

export class LaptopsHandover extends BaseCommand<typeof LaptopsHandover> {
  static override summary = 'Hand allocated laptops to beneficiaries and write each "attestation de remise" (PDF)'
  static override description = `Refused without an active training path, with an expired convention, on another site,
for a laptop without a wipe certificate, or to a person who already holds a laptop.

A distribution day: --from FILE, a CSV with the laptop serial and the beneficiary reference
per row. Each row is checked like one handover; refused rows go to the rejects file with their
row numbers (exit 3) and the others are handed over, one receipt each.

With a barcode scanner: --scan reads scans, one a line: the beneficiary's convention card
(their reference), then the laptop (serial or asset tag); the receipt is written and the next
card awaited. A refusal is one line on stderr and the station waits for the next card.
CANCEL forgets the card scanned; QUIT or the end of the input ends the day.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops handover PF1ABCDE --beneficiary SMA-0042 --out receipts/',
    '<%= config.bin %> laptops handover --from remises-smalah.csv --out receipts/',
    '<%= config.bin %> laptops handover --scan --out receipts/',
  ]
  // ignoreStdin: oclif would otherwise take piped scans (--scan) as the SERIAL argument
  static override args = {serial: Args.string({description: 'Laptop serial', ignoreStdin: true})}
  static override flags = {
    beneficiary: Flags.string({description: 'Beneficiary reference', exclusive: ['from']}),
    from: Flags.string({
      description: 'Hand over many: a CSV (serial; beneficiary reference), or - for standard input',
      exclusive: ['scan'],
    }),
    scan: Flags.boolean({
      description: 'Hand over by scan: the convention card, then the laptop, for each person',
      exclusive: ['beneficiary'],
    }),
    out: Flags.string({description: 'Folder for the receipt PDFs', default: '.'}),
    ...importFlags,
  }

  public async run() {
    const f = this.flags
    if (f.scan) {
      if (this.args.serial) throw new UsageError(msg('handoverBoth'), {actions: ['alpi laptops handover --scan']})
      const r = await handoverScan(await this.context(), {
        input: process.stdin,
        say: (line) => process.stderr.write(`${line}\n`),
        done: (line) => this.print(line),
        outDir: f.out,
        organisation: this.appConfig.organisation,
      })
      this.print(bt('scanSummary', {n: r.handovers.length, refused: r.refused}))
      return r
    }
    if (f.from) {
      if (this.args.serial) throw new UsageError(msg('handoverBoth'), {actions: ['alpi laptops handover --from remises.csv']})
      return this.summarised(
        handoverBatch(await this.context(), {
          file: f.from,
          outDir: f.out,
          organisation: this.appConfig.organisation,
          rejectsPath: f.rejects,
          repairEncoding: f['repair-encoding'],
          dryRun: f['dry-run'],
        }),
        (r) => handoverBatchSummary(r, f.out),
      )
    }
    if (!this.args.serial || !f.beneficiary)
      throw new UsageError(msg('handoverMissing'), {actions: ['alpi laptops handover PF1ABCDE --beneficiary SMA-0042']})
    const r = await handover(await this.context(), {
      serial: this.args.serial,
      beneficiary: f.beneficiary,
      outDir: f.out,
      organisation: this.appConfig.organisation,
    })
    this.print(t('handedOver', {serial: r.serial, site: r.site, receipt: r.receipt}))
    return r
  }
}
