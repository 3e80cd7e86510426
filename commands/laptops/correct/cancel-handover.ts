import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {lineText} from '../../../src/cli/flags.js'
import {cancelHandover} from '../../../src/laptops/corrections.js'
import {correctedLine} from '../../../src/laptops/format.js'

export class LaptopsCorrectCancelHandover extends BaseCommand<typeof LaptopsCorrectCancelHandover> {
  static override summary =
    'Cancel a handover made by mistake, within the window (laptops.handoverCancelHours, default 48 h): the laptop is allocated again'
  static override description = `The move, its reason and who made it go to the laptop's history and the audit journal.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops correct cancel-handover PF1ABCDE --reason "remis à la mauvaise personne"']
  static override args = {serial: Args.string({description: 'Laptop serial', required: true})}
  static override flags = {
    reason: lineText({description: 'Why (kept in the history and the audit journal)', required: true, max: 500}),
  }

  public async run() {
    const r = await cancelHandover(await this.context(), {serial: this.args.serial, reason: this.flags.reason})
    this.print(correctedLine(r))
    return r
  }
}
