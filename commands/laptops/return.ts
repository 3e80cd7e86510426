import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {lineText} from '../../src/cli/flags.js'
import {returnLaptop} from '../../src/laptops/giving.js'
import {stateName, t} from '../../src/laptops/messages/index.js'

export class LaptopsReturn extends BaseCommand<typeof LaptopsReturn> {
  static override summary = 'Record a laptop coming back (from a beneficiary or a site): it goes back to diagnosis'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops return PF1ABCDE --reason "écran cassé"']
  static override args = {serial: Args.string({description: 'Laptop serial', required: true})}
  static override flags = {reason: lineText({description: 'Why it came back', max: 500})}

  public async run() {
    const r = await returnLaptop(await this.context(), {serial: this.args.serial, reason: this.flags.reason})
    this.print(t('returned', {serial: r.serial, from: stateName(r.from)}))
    return r
  }
}
