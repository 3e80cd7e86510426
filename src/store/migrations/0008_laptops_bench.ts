import type {Kysely} from 'kysely'
import type {Dialect} from '../dialect.js'

/**
 * The bench station's jobs (issue 13): one row per laptop at a bench, which station holds it
 * (the claim), its bay, the step of its background work and how far it got. A station that
 * stops (closed, killed, power cut) leaves its rows; reopening it resumes them. Heartbeats are
 * wall-clock milliseconds (bigint), so that a fixed business clock (ALPI_NOW) never makes a
 * live station look dead. Frozen once landed: add a new migration for changes.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('laptop_bench_jobs')
    .addColumn('serial', 'text', (c) => c.primaryKey().references('laptops.serial'))
    .addColumn('station', 'text', (c) => c.notNull())
    .addColumn('bay', 'text')
    .addColumn('image', 'text')
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('eta_seconds', 'integer')
    .addColumn('checks', 'text')
    .addColumn('error', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_ms', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('laptop_bench_jobs_station').on('laptop_bench_jobs').columns(['station', 'status']).execute()
}
