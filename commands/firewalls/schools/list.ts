import {BaseCommand} from '../../../src/cli/base-command.js'
import {formatTable} from '../../../src/cli/table.js'
import {kindText} from '../../../src/firewalls/format.js'
import {t} from '../../../src/firewalls/messages/index.js'
import {loadSchools} from '../../../src/firewalls/schools.js'

export class FirewallsSchoolsList extends BaseCommand<typeof FirewallsSchoolsList> {
  static override readOnly = true
  static override summary = 'List the school register (UAI, authority, LAN, box, last deploy)'
  static override examples = ['<%= config.bin %> firewalls schools list', '<%= config.bin %> firewalls schools list --json']

  public async run() {
    const schools = await loadSchools(await this.context())
    this.print(
      schools.length === 0
        ? t('noSchools')
        : formatTable(
            schools.map((s) => ({...s, authority: `${kindText(s.authorityKind)}: ${s.authorityName}`, deployed: s.deployedAt ?? '-'})),
            [
              {key: 'uai', header: t('h.uai')},
              {key: 'name', header: t('h.name')},
              {key: 'communeName', header: t('h.commune')},
              {key: 'authority', header: t('h.authority')},
              {key: 'lanCidr', header: t('h.lan')},
              {key: 'mgmtHost', header: t('h.box')},
              {key: 'profile', header: t('h.profile')},
              {key: 'deployed', header: t('h.deployed')},
            ],
          ),
    )
    return schools
  }
}
