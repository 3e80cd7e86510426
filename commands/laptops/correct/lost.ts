import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {lineText} from '../../../src/cli/flags.js'
import {markLost} from '../../../src/laptops/corrections.js'
import {correctedLine} from '../../../src/laptops/format.js'

export class LaptopsCorrectLost extends BaseCommand<typeof LaptopsCorrectLost> {
  static override summary = "Mark a laptop lost or stolen: out of the stock and of its site's quota (`correct found` if it turns up)"
  static override description = `The move, its reason and who made it go to the laptop's history and the audit journal.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops correct lost PF1ABCDE --kind stolen --reason "vol signalé par le lieu, plainte du 02/12"',
  ]
  static override args = {serial: Args.string({description: 'Laptop serial', required: true})}
  static override flags = {
    kind: Flags.string({description: 'lost or stolen', required: true, options: ['lost', 'stolen']}),
    reason: lineText({description: 'Why (kept in the history and the audit journal)', required: true, max: 500}),
  }

  public async run() {
    const r = await markLost(await this.context(), {serial: this.args.serial, kind: this.flags.kind, reason: this.flags.reason})
    this.print(correctedLine(r))
    return r
  }
}
