import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {showLaptop} from '../../src/laptops/records.js'
import {showText} from '../../src/laptops/format.js'

export class LaptopsShow extends BaseCommand<typeof LaptopsShow> {
  static override readOnly = true
  static override summary = 'Show one laptop: state, verdict and its reasons, probe facts, certificates, handovers, history (local time)'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops show PF1ABCDE', '<%= config.bin %> laptops show PF1ABCDE --json']
  static override args = {serial: Args.string({description: 'Laptop serial', required: true})}

  public async run() {
    const d = await showLaptop(await this.context(), this.args.serial)
    this.print(showText(d))
    return d
  }
}
