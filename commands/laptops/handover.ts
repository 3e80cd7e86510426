import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {handover} from '../../src/laptops/giving.js'
import {t} from '../../src/laptops/messages.js'

export class LaptopsHandover extends BaseCommand<typeof LaptopsHandover> {
  static override summary = 'Hand an allocated laptop to a beneficiary and write the "attestation de remise" (PDF)'
  static override description = `Refused without an active training path, with an expired convention, on another site,
or for a laptop without a wipe certificate.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops handover PF1ABCDE --beneficiary SMA-0042 --out receipts/']
  static override args = {serial: Args.string({description: 'Laptop serial', required: true})}
  static override flags = {
    beneficiary: Flags.string({description: 'Beneficiary reference', required: true}),
    out: Flags.string({description: 'Folder for the receipt PDF', default: '.'}),
  }

  public async run() {
    const r = await handover(await this.context(), {serial: this.args.serial, beneficiary: this.flags.beneficiary, outDir: this.flags.out, organisation: this.appConfig.organisation})
    this.print(t('handedOver', {serial: r.serial, site: r.site, receipt: r.receipt}))
    return r
  }
}
