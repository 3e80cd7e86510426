/** English texts of src/store/messages.ts (split by docs/tools/split-messages.mjs). */
export const MESSAGES = {
  notFound: 'No store at {path}',
  notFoundAction1: 'Check --db / ALPI_DB (alpi config path shows the default).',
  notFoundAction2:
    'A new store is created by the first command that records something (e.g. alpi laptops import FILE), or by alpi db migrate.',
  emptyFile: '{path} is an empty file, not an alpi store: a command that only reads never turns it into one',
  emptyFileAction: 'Check --db / ALPI_DB; to start a store there, run `alpi db migrate --db {path}`.',
  notSqlite: '{path} is not an SQLite file: it is not an alpi store, and it was left untouched',
  notSqliteAction: 'Check --db / ALPI_DB: it must name an alpi store (an SQLite file) or a postgres:// URL.',
  foreignDb: '{path} is an SQLite database of another program (no alpi tables): it was left untouched',
  tooNew: 'This store was written by a newer alpi (schema {schema}; this alpi knows schema {known}): upgrade alpi',
  tooNewAction:
    'Install the alpi version the other technicians use (npm install -g of the newer release), then retry. Nothing was changed.',
  outdated:
    'This store is at schema {schema}, this alpi needs schema {known}: it must be migrated, which a command that only reads never does',
  outdatedAction: 'Run `alpi db migrate` (or any command that records something), then retry.',
  notMigrated: '{path} has no alpi schema yet: nothing to read',
  cannotOpen: 'Cannot open the SQLite store {path}: {detail}',
  cannotOpenAction:
    'Check that the file is an alpi store and that you may read it (and write its folder, for commands that record something).',
  readOnlyMediaWal:
    'The store {path} is on a read-only medium and was not closed cleanly (its -wal file is left without its -shm file): it cannot be read safely there',
  readOnlyMediaWalAction: 'Copy the store with its -wal file to a writable folder and run the command on the copy.',
  pgConnect: 'Cannot connect to PostgreSQL at {url}: {detail}',
  pgConnectAction: 'Check that the server runs, the URL (host, port, database) and the credentials.',
  waiting: 'Waiting for another alpi writing to the store (up to {wait}, Ctrl-C to stop)...',
  waitingNoCancel: 'Waiting for another alpi writing to the store (up to {wait})...',
  lockTimeout: 'Another program has held the store for writing for more than {wait}: gave up waiting, nothing was changed',
  lockTimeoutAction: 'Check which alpi is still running (a large import, a stuck process); set ALPI_STORE_WAIT (seconds) to wait longer.',
  migrationFailed: 'Migration {name} failed: {detail}',
  migrationFailedAction: 'Nothing of the failed migration was kept. Check the database with `alpi db status`, then report the error.',
  cancelledNothingKept: '{reason}: nothing of the change was kept',
  interrupted: 'Interrupted',
  noStore: 'No store given',
  noStoreAction: 'Pass --db PATH or a postgres:// URL, or set ALPI_DB.',
  backupExists: '{path} exists already: a backup never overwrites',
  backupExistsAction: 'Choose another --output path.',
}
