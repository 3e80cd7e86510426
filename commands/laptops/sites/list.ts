import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {listSites} from '../../../src/laptops/giving.js'
import {sitesListView} from '../../../src/laptops/format.js'

export class LaptopsSitesList extends BaseCommand<typeof LaptopsSitesList> {
  static override readOnly = true
  static override summary = 'List the sites, their conventions and the quota left'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops sites list', '<%= config.bin %> laptops sites list --json']

  public async run() {
    const sites = await listSites(await this.context())
    this.print(sitesListView(sites))
    return sites
  }
}
