// The floor of `alpi laptops list` in Node (bench/laptops-list.ts runs it): no framework, no
// flags, no messages, no checks; only what any Node program must do for the same output:
// start, load better-sqlite3, run the same query (src/laptops/list.ts, no filter) and print the
// same table (src/cli/table.ts) and count.
//   node bench/laptops-list-floor.cjs DB
'use strict'
const Database = require('better-sqlite3')

const db = new Database(process.argv[2], {readonly: true, fileMustExist: true})
const rows = db
  .prepare(
    'select serial, asset_tag, maker, model, lot, state, grade, verdict, site_code, image_name, wipe_certificate_id, state_changed_at, created_at from laptops order by serial',
  )
  .all()
db.close()
const columns = [
  ['serial', 'SERIAL'],
  ['asset_tag', 'ASSET'],
  ['model', 'MODEL'],
  ['lot', 'LOT'],
  ['state', 'STATE'],
  ['grade', 'GRADE'],
  ['site_code', 'SITE'],
  ['state_changed_at', 'SINCE'],
]
const cells = rows.map((r) => columns.map(([key]) => (r[key] === null ? '' : String(r[key]))))
const widths = columns.map(([, header], i) => Math.max(header.length, ...cells.map((c) => c[i].length)))
const line = (values) =>
  values
    .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i])))
    .join('  ')
    .trimEnd()
process.stdout.write([line(columns.map(([, header]) => header)), ...cells.map(line)].join('\n') + '\n')
process.stderr.write(`${rows.length} laptop(s)\n`)
