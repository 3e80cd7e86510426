import {BaseCommand} from '../../src/cli/base-command.js'
import {formatTable} from '../../src/cli/table.js'
import {storeStatus} from '../../src/store/admin.js'
import {th} from '../../src/cli/messages/index.js'

export class DbStatus extends BaseCommand<typeof DbStatus> {
  static override readOnly = true
  static override summary = 'Show where the store is, its migrations and row counts'
  static override examples = ['<%= config.bin %> db status', '<%= config.bin %> db status --json']

  public async run() {
    const s = await storeStatus({url: this.dbUrl()})
    this.print(`Store: ${s.location} (${s.dialect})${s.sizeBytes === null ? '' : `, ${s.sizeBytes} bytes`}`)
    this.print(
      formatTable(
        s.migrations.map((m) => ({...m, applied: m.applied ? th('yes') : th('pending')})),
        [
          {key: 'name', header: th('migration')},
          {key: 'applied', header: th('applied')},
          {key: 'executedAt', header: th('at')},
        ],
      ),
    )
    if (Object.keys(s.tables).length > 0)
      this.print(
        formatTable(
          Object.entries(s.tables).map(([table, rows]) => ({table, rows})),
          [
            {key: 'table', header: th('table')},
            {key: 'rows', header: th('rows')},
          ],
        ),
      )
    return s
  }
}
