import {randomBytes} from 'node:crypto'
import pg from 'pg'

/** A fresh, empty PostgreSQL database for one test file; dropped by the returned cleanup. */
export async function freshPgDatabase(): Promise<{url: string; drop: () => Promise<void>}> {
  const admin = process.env.ALPI_TEST_PG_URL
  if (!admin) throw new Error(process.env.ALPI_TEST_PG_MISSING ?? 'ALPI_TEST_PG_URL is not set (the global setup starts PostgreSQL)')
  const name = `alpi_t_${randomBytes(6).toString('hex')}`
  const client = new pg.Client({connectionString: admin})
  await client.connect()
  await client.query(`create database ${name}`)
  await client.end()
  const url = new URL(admin)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({connectionString: admin})
      await c.connect()
      try {
        // WITH (FORCE) ends the test's own sessions, but not an autovacuum worker that a busy
        // server may have started on the fresh database (the test role may not signal it):
        // that one finishes on its own, so wait for it and try again.
        for (let attempt = 1; ; attempt++) {
          try {
            await c.query(`drop database if exists ${name} with (force)`)
            return
          } catch (error) {
            if ((error as {code?: string}).code !== '42501' || attempt >= 50) throw error
            await new Promise((r) => setTimeout(r, 200))
          }
        }
      } finally {
        await c.end()
      }
    },
  }
}
