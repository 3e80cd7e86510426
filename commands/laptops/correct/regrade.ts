import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {lineText} from '../../../src/cli/flags.js'
import {regrade} from '../../../src/laptops/corrections.js'
import {correctedLine} from '../../../src/laptops/format.js'

export class LaptopsCorrectRegrade extends BaseCommand<typeof LaptopsCorrectRegrade> {
  static override summary = 'Re-grade a diagnosed or ready laptop on new evidence (its snapshot judged again with the cosmetic grade given)'
  static override description = `The move, its reason and who made it go to the laptop's history and the audit journal.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops correct regrade PF1ABCDE --cosmetic C --reason "rayure écran vue à la remise"']
  static override args = {serial: Args.string({description: 'Laptop serial', required: true})}
  static override flags = {
    cosmetic: Flags.string({
      description: 'Cosmetic grade: A like new, B light wear, C marked',
      required: true,
      options: ['A', 'B', 'C', 'a', 'b', 'c'],
    }),
    reason: lineText({description: 'Why (kept in the history and the audit journal)', required: true, max: 500}),
  }

  public async run() {
    const r = await regrade(await this.context(), {serial: this.args.serial, cosmetic: this.flags.cosmetic, reason: this.flags.reason})
    this.print(correctedLine(r))
    return r
  }
}
