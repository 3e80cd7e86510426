import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {formatTable} from '../../../src/cli/table.js'
import {listSites} from '../../../src/laptops/giving.js'
import {th} from '../../../src/laptops/messages/index.js'

export class LaptopsSitesList extends BaseCommand<typeof LaptopsSitesList> {
  static override readOnly = true
  static override summary = 'List the sites, their conventions and the quota left'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops sites list', '<%= config.bin %> laptops sites list --json']

  public async run() {
    const sites = await listSites(await this.context())
    this.print(
      formatTable(
        sites.map((s) => ({...s, active: s.active ? th('yes') : th('no')})),
        [
          {key: 'code', header: th('code')},
          {key: 'name', header: th('name')},
          {key: 'convention_ref', header: th('convention')},
          {key: 'convention_end', header: th('ends')},
          {key: 'active', header: th('active')},
          {key: 'quota', header: th('quota')},
          {key: 'used', header: th('used')},
          {key: 'remaining', header: th('left')},
        ],
      ),
    )
    return sites
  }
}
