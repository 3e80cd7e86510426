import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {formatTable} from '../../../src/cli/table.js'
import {listSites} from '../../../src/laptops/giving.js'

export class LaptopsSitesList extends BaseCommand<typeof LaptopsSitesList> {
  static override readOnly = true
  static override summary = 'List the sites, their conventions and the quota left'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops sites list', '<%= config.bin %> laptops sites list --json']

  public async run() {
    const sites = await listSites(await this.context())
    this.print(formatTable(sites.map((s) => ({...s, active: s.active ? 'yes' : 'NO'})), [
      {key: 'code', header: 'CODE'}, {key: 'name', header: 'NAME'}, {key: 'convention_ref', header: 'CONVENTION'},
      {key: 'convention_end', header: 'ENDS'}, {key: 'active', header: 'ACTIVE'}, {key: 'quota', header: 'QUOTA'}, {key: 'used', header: 'USED'}, {key: 'remaining', header: 'LEFT'},
    ]))
    return sites
  }
}
