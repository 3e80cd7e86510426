import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {durationDays} from '../../../src/cli/flags.js'
import {confirmAction} from '../../../src/cli/prompt.js'
import {purgeBeneficiaries} from '../../../src/laptops/giving.js'
import {t} from '../../../src/laptops/messages/index.js'

export class LaptopsBeneficiariesPurge extends BaseCommand<typeof LaptopsBeneficiariesPurge> {
  static override summary = 'Delete beneficiary records older than a retention period (handovers stay, without the person)'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops beneficiaries purge --older-than 3y --yes']
  static override flags = {
    'older-than': durationDays({description: 'Age: days (365), months (12m) or years (3y); at most 100 years', required: true}),
  }

  public async run() {
    const days = this.flags['older-than']
    await confirmAction(this.guard, `Delete beneficiary records not updated for ${days} days?`)
    const r = await purgeBeneficiaries(await this.context(), {olderThanDays: days})
    this.print(t('purged', {n: r.purged, since: r.cutoff.slice(0, 10)}))
    return r
  }
}
