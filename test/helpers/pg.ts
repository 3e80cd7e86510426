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
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}
