import {BaseCommand} from '../../src/cli/base-command.js'
import {formatTable} from '../../src/cli/table.js'
import {storeStatus} from '../../src/store/admin.js'

export class DbStatus extends BaseCommand<typeof DbStatus> {
  static override readOnly = true
  static override summary = 'Show where the store is, its migrations and row counts'
  static override examples = ['<%= config.bin %> db status', '<%= config.bin %> db status --json']

  public async run() {
    const s = await storeStatus({url: this.dbUrl()})
    this.print(`Store: ${s.location} (${s.dialect})${s.sizeBytes === null ? '' : `, ${s.sizeBytes} bytes`}`)
    this.print(formatTable(s.migrations.map((m) => ({...m, applied: m.applied ? 'yes' : 'PENDING'})), [{key: 'name', header: 'MIGRATION'}, {key: 'applied', header: 'APPLIED'}, {key: 'executedAt', header: 'AT'}]))
    if (Object.keys(s.tables).length > 0) this.print(formatTable(Object.entries(s.tables).map(([table, rows]) => ({table, rows})), [{key: 'table', header: 'TABLE'}, {key: 'rows', header: 'ROWS'}]))
    return s
  }
}
