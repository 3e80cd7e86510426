import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'

/**
 * Starts what the whole suite needs once: a PostgreSQL cluster (Debian's postgresql
 * package) with a test role. Tests get fresh databases from test/helpers/pg.ts.
 * If ALPI_TEST_PG_URL is set, that server is used instead and nothing is started.
 */
export default function setup(): void {
  if (process.env.ALPI_TEST_PG_URL) return
  if (!existsSync('/etc/postgresql')) {
    process.env.ALPI_TEST_PG_MISSING = 'PostgreSQL is not installed: run `bash test/setup-machine.sh` (apt-get install postgresql)'
    return
  }
  const version = readdirSync('/etc/postgresql').sort().at(-1)!
  try {
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {stdio: 'pipe'})
  } catch (error) {
    const e = error as {stderr?: Buffer; stdout?: Buffer}
    const msg = `${e.stdout ?? ''}${e.stderr ?? ''}`
    if (!/already running/.test(msg)) throw error
  }
  const psql = (q: string) =>
    execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-v', 'ON_ERROR_STOP=1', '-tAc', q], {stdio: 'pipe'}).toString().trim()
  if (psql("select 1 from pg_roles where rolname='alpi_test'") !== '1') psql("create role alpi_test login createdb password 'alpi_test'")
  process.env.ALPI_TEST_PG_URL = 'postgres://alpi_test:alpi_test@127.0.0.1:5432/postgres'
}
