import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {lineText} from '../../../src/cli/flags.js'
import {unallocate} from '../../../src/laptops/corrections.js'
import {correctedLine} from '../../../src/laptops/format.js'

export class LaptopsCorrectUnallocate extends BaseCommand<typeof LaptopsCorrectUnallocate> {
  static override summary = "Take back an allocation made by mistake: the laptop is ready again and the site's quota place freed"
  static override description = `The move, its reason and who made it go to the laptop's history and the audit journal.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops correct unallocate PF1ABCDE --reason "mauvais lieu"']
  static override args = {serial: Args.string({description: 'Laptop serial', required: true})}
  static override flags = {
    reason: lineText({description: 'Why (kept in the history and the audit journal)', required: true, max: 500}),
  }

  public async run() {
    const r = await unallocate(await this.context(), {serial: this.args.serial, reason: this.flags.reason})
    this.print(correctedLine(r))
    return r
  }
}
