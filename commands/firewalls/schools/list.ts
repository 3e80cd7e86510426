import {BaseCommand} from '../../../src/cli/base-command.js'
import {formatTable} from '../../../src/cli/table.js'
import {t} from '../../../src/firewalls/messages.js'
import {loadSchools} from '../../../src/firewalls/schools.js'

export class FirewallsSchoolsList extends BaseCommand<typeof FirewallsSchoolsList> {
  static override readOnly = true
  static override summary = 'List the school register (UAI, authority, LAN, box, last deploy)'
  static override examples = ['<%= config.bin %> firewalls schools list', '<%= config.bin %> firewalls schools list --json']

  public async run() {
    const schools = await loadSchools(await this.context())
    this.print(schools.length === 0 ? t('noSchools') : formatTable(schools.map((s) => ({...s, authority: `${s.authorityKind}: ${s.authorityName}`, deployed: s.deployedAt ?? '-'})), [
      {key: 'uai', header: 'UAI'}, {key: 'name', header: 'NAME'}, {key: 'communeName', header: 'COMMUNE'}, {key: 'authority', header: 'AUTHORITY'}, {key: 'lanCidr', header: 'LAN'}, {key: 'mgmtHost', header: 'BOX'}, {key: 'profile', header: 'PROFILE'}, {key: 'deployed', header: 'DEPLOYED'},
    ]))
    return schools
  }
}
