import {BaseCommand} from '../../../src/cli/base-command.js'
import {schoolsListView} from '../../../src/firewalls/format.js'
import {loadSchools} from '../../../src/firewalls/schools.js'

export class FirewallsSchoolsList extends BaseCommand<typeof FirewallsSchoolsList> {
  static override readOnly = true
  static override summary = 'List the school register (UAI, authority, LAN, box, last deploy)'
  static override examples = ['<%= config.bin %> firewalls schools list', '<%= config.bin %> firewalls schools list --json']

  public async run() {
    const schools = await loadSchools(await this.context())
    this.print(schoolsListView(schools))
    return schools
  }
}
