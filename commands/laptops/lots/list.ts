import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {lotsListView} from '../../../src/laptops/format.js'
import {lotStatus} from '../../../src/laptops/lots.js'

export class LaptopsLotsList extends BaseCommand<typeof LaptopsLotsList> {
  static override readOnly = true
  static override summary = 'Per-lot status: announced, received, in progress, ready, given, scrapped, lost, certified'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops lots list', '<%= config.bin %> laptops lots list --json']

  public async run() {
    const lots = await lotStatus(await this.context())
    this.print(lotsListView(lots))
    return lots
  }
}
