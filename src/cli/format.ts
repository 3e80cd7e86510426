import type {AuditListItem} from '../audit/query.js'
import {coreMessages} from '../core/messages/index.js'
import type {HostKeyRecord} from '../remote/host-keys.js'
import {t as remoteText} from '../remote/messages/index.js'
import type {StoreStatus} from '../store/admin.js'
import type {DoctorReport} from '../tools/doctor.js'
import {t, th} from './messages/index.js'
import {formatTable} from './table.js'

/**
 * The human views of the frame's own topics (audit, hosts, db, doctor), as a campaign's
 * format.ts holds its own. They live in the CLI layer, beside the headers' catalog they use:
 * the layers that own these services (audit, remote, store, tools) never import src/cli.
 */

/** `audit list`: one line per entry, or a line saying there is none. */
export function auditListView(entries: AuditListItem[]): string {
  if (entries.length === 0) return t('noEntries')
  return formatTable(entries, [
    {key: 'seq', header: th('seq')},
    {key: 'at', header: th('at')},
    {key: 'actor', header: th('who')},
    {key: 'command', header: th('command')},
    {key: 'entity', header: th('entity')},
    {key: 'entityId', header: th('id')},
    {key: 'result', header: th('result')},
    {key: 'summary', header: th('summary')},
  ])
}

/** `hosts list`: the pinned host keys, or a line saying there is none. */
export function hostsListView(keys: HostKeyRecord[]): string {
  if (keys.length === 0) return remoteText('none')
  return formatTable(keys, [
    {key: 'host', header: th('host')},
    {key: 'port', header: th('port')},
    {key: 'keyType', header: th('type')},
    {key: 'fingerprint', header: th('fingerprint')},
    {key: 'addedAt', header: th('added')},
    {key: 'addedBy', header: th('by')},
  ])
}

/** `db status`: where the store is, its migrations, then its tables' row counts (when it has tables). */
export function dbStatusView(s: StoreStatus): string {
  const out = [
    t('storeWhere', {location: s.location, dialect: s.dialect}) + (s.sizeBytes === null ? '' : t('storeSize', {bytes: s.sizeBytes})),
    formatTable(
      s.migrations.map((m) => ({...m, applied: m.applied ? th('yes') : th('pending')})),
      [
        {key: 'name', header: th('migration')},
        {key: 'applied', header: th('applied')},
        {key: 'executedAt', header: th('at')},
      ],
    ),
  ]
  if (Object.keys(s.tables).length > 0)
    out.push(
      formatTable(
        Object.entries(s.tables).map(([table, rows]) => ({table, rows})),
        [
          {key: 'table', header: th('table')},
          {key: 'rows', header: th('rows')},
        ],
      ),
    )
  return out.join('\n')
}

/** `doctor`: one line per check, the package that provides what is missing; a last line when all is well. */
export function doctorView(report: DoctorReport): string {
  const dt = coreMessages.doctor
  const table = formatTable(
    report.checks.map((c) => ({check: c.check, status: dt(c.status), detail: c.detail, pkg: c.status === 'ok' ? '' : (c.pkg ?? '')})),
    [
      {key: 'check', header: dt('colCheck')},
      {key: 'status', header: dt('colStatus')},
      {key: 'detail', header: dt('colDetail')},
      {key: 'pkg', header: dt('colPkg')},
    ],
  )
  return report.ok ? `${table}\n${dt('allGood')}` : table
}
