import {BaseCommand} from '../../src/cli/base-command.js'
import {dbStatusView} from '../../src/cli/format.js'
import {storeStatus} from '../../src/store/admin.js'

export class DbStatus extends BaseCommand<typeof DbStatus> {
  static override readOnly = true
  static override summary = 'Show where the store is, its migrations and row counts'
  static override examples = ['<%= config.bin %> db status', '<%= config.bin %> db status --json']

  public async run() {
    const s = await storeStatus({url: this.dbUrl()})
    this.print(dbStatusView(s))
    return s
  }
}
