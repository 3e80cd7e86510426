import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {lineText} from '../../../src/cli/flags.js'
import {rewipe} from '../../../src/laptops/corrections.js'
import {correctedLine} from '../../../src/laptops/format.js'

export class LaptopsCorrectRewipe extends BaseCommand<typeof LaptopsCorrectRewipe> {
  static override summary = 'Send an imaged or ready laptop back to be wiped again (its image and certificate no longer count)'
  static override description = `The move, its reason and who made it go to the laptop's history and the audit journal.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops correct rewipe PF1ABCDE --reason "image installée sur un disque non certifié"']
  static override args = {serial: Args.string({description: 'Laptop serial', required: true})}
  static override flags = {
    reason: lineText({description: 'Why (kept in the history and the audit journal)', required: true, max: 500}),
  }

  public async run() {
    const r = await rewipe(await this.context(), {serial: this.args.serial, reason: this.flags.reason})
    this.print(correctedLine(r))
    return r
  }
}
