import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer, since} from '../../src/cli/flags.js'
import {laptopsListView} from '../../src/laptops/format.js'
import {LIST_COLUMNS, listLaptops} from '../../src/laptops/list.js'
import {ws} from '../../src/laptops/messages/index.js'

export class LaptopsList extends BaseCommand<typeof LaptopsList> {
  static override readOnly = true
  static override summary = 'List laptops: by state, site, model, grade, lot, date, or a piece of serial / asset tag'
  static override description = `Filters combine (all must match); --state may be repeated. --csv writes the same rows as CSV (to stdout or --output).

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops list --state ready --model L380',
    '<%= config.bin %> laptops list --lot LOT-2026-03 --csv --output lot.csv',
    '<%= config.bin %> laptops list --search PF1A --json',
    '<%= config.bin %> laptops list --changed-since 7d --state scrapped',
  ]
  static override flags = {
    state: Flags.string({
      description:
        'State (repeatable): received, diagnosed, wiped, imaged, ready, allocated, handed_over, on_hold, scrapped, returned, lost',
      multiple: true,
    }),
    site: Flags.string({description: 'Site code'}),
    model: Flags.string({description: 'Model (part of it, any case)'}),
    grade: Flags.string({description: 'Cosmetic grade A, B or C', options: ['A', 'B', 'C', 'a', 'b', 'c']}),
    lot: Flags.string({description: 'Lot (intake batch)'}),
    since: since({description: 'Received on or after (date, date-time or 7d)'}),
    'changed-since': since({description: 'State changed on or after (date, date-time or 7d)'}),
    search: Flags.string({char: 's', description: 'Part of the serial or asset tag, any case'}),
    limit: integer({description: 'At most N laptops', min: 1, max: 1_000_000}),
    csv: Flags.boolean({description: 'CSV instead of a table'}),
    output: Flags.string({char: 'o', description: 'Write the CSV to this file', dependsOn: ['csv']}),
  }

  public async run() {
    const f = this.flags
    const rows = await listLaptops(await this.context(), {
      states: f.state,
      site: f.site,
      model: f.model,
      grade: f.grade,
      lot: f.lot,
      since: f.since,
      changedSince: f['changed-since'],
      search: f.search,
      limit: f.limit,
    })
    if (f.csv) {
      const {writeCsv} = await import('../../src/csv/write.js')
      const target = f.output ?? (this.jsonEnabled() ? undefined : process.stdout)
      if (target) await writeCsv(target, rows, {columns: LIST_COLUMNS, delimiter: ';'})
      if (f.output) this.out.info(ws('written', {file: f.output, n: rows.length}))
      return rows
    }
    this.print(laptopsListView(rows))
    this.out.info(ws('listCount', {n: rows.length}))
    return rows
  }
}
