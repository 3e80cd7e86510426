import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {integer, since} from '../../src/cli/flags.js'
import {auditListView} from '../../src/cli/format.js'
import {listAudit} from '../../src/audit/query.js'

export class AuditList extends BaseCommand<typeof AuditList> {
  static override readOnly = true
  static override summary = 'List audit journal entries (who, when, what, result)'
  static override examples = [
    '<%= config.bin %> audit list --entity laptop --since 7d',
    '<%= config.bin %> audit list --entity school --id 0400001J --json',
  ]
  static override flags = {
    entity: Flags.string({description: 'Only this kind of entity (laptop, school, import, fleet...).'}),
    id: Flags.string({description: 'Only this entity id (a serial, a UAI...).'}),
    since: since({description: 'From this date (ISO) or duration (7d, 12h).'}),
    limit: integer({description: 'At most this many entries (the latest).', default: 100, min: 1, max: 1_000_000}),
  }

  public async run() {
    const store = await this.store()
    const entries = await listAudit(store.db, {
      entity: this.flags.entity,
      entityId: this.flags.id,
      since: this.flags.since,
      limit: this.flags.limit,
    })
    this.print(auditListView(entries))
    return entries
  }
}
