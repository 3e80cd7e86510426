import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {integer, isoDate, lineText} from '../../../src/cli/flags.js'
import {addLot} from '../../../src/laptops/lots.js'
import {ws} from '../../../src/laptops/messages/index.js'

export class LaptopsLotsAdd extends BaseCommand<typeof LaptopsLotsAdd> {
  static override summary = 'Record a lot (intake batch) from a donor: code, donor, date, number of laptops announced'
  static override description = `The laptops of the lot carry its code in the intake file's "lot" column (\`laptops import\`).
Recording a lot again updates it.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops lots add LOT-2026-03 --donor "Crédit Landais" --date 2026-03-12 --count 120']
  static override args = {code: Args.string({description: 'Lot code', required: true})}
  static override flags = {
    donor: lineText({description: 'Donor (company, administration)', required: true}),
    date: isoDate({description: 'Date received', required: true}),
    count: integer({description: 'Laptops announced', required: true, min: 1, max: 100_000}),
    notes: lineText({description: 'Notes', max: 500}),
  }

  public async run() {
    const r = await addLot(await this.context(), {
      code: this.args.code,
      donor: this.flags.donor,
      receivedOn: this.flags.date,
      count: this.flags.count,
      notes: this.flags.notes,
    })
    this.print(ws('lotRecorded', {lot: r.code, what: ws(r.inserted ? 'lotNew' : 'lotUpdated')}))
    return r
  }
}
