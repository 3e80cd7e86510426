import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {formatTable} from '../../../src/cli/table.js'
import {lotStatus} from '../../../src/laptops/lots.js'

export class LaptopsLotsList extends BaseCommand<typeof LaptopsLotsList> {
  static override readOnly = true
  static override summary = 'Per-lot status: announced, received, in progress, ready, given, scrapped, lost, certified'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops lots list', '<%= config.bin %> laptops lots list --json']

  public async run() {
    const lots = await lotStatus(await this.context())
    this.print(
      formatTable(lots, [
        {key: 'code', header: 'LOT'},
        {key: 'donor', header: 'DONOR'},
        {key: 'received_on', header: 'DATE'},
        {key: 'expected', header: 'ANNOUNCED'},
        {key: 'received', header: 'RECEIVED'},
        {key: 'in_progress', header: 'IN PROGRESS'},
        {key: 'ready', header: 'READY'},
        {key: 'given', header: 'GIVEN'},
        {key: 'scrapped', header: 'SCRAPPED'},
        {key: 'lost', header: 'LOST'},
        {key: 'certified', header: 'CERTIFIED'},
      ]),
    )
    return lots
  }
}
