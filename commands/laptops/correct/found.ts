import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {lineText} from '../../../src/cli/flags.js'
import {markFound} from '../../../src/laptops/corrections.js'
import {correctedLine} from '../../../src/laptops/format.js'

export class LaptopsCorrectFound extends BaseCommand<typeof LaptopsCorrectFound> {
  static override summary = 'A lost or stolen laptop found again: it is returned, to be graded again'
  static override description = `The move, its reason and who made it go to the laptop's history and the audit journal.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops correct found PF1ABCDE --reason "retrouvé au local de Dax"']
  static override args = {serial: Args.string({description: 'Laptop serial', required: true})}
  static override flags = {
    reason: lineText({description: 'Why (kept in the history and the audit journal)', required: true, max: 500}),
  }

  public async run() {
    const r = await markFound(await this.context(), {serial: this.args.serial, reason: this.flags.reason})
    this.print(correctedLine(r))
    return r
  }
}
