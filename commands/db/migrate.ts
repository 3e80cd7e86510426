import {BaseCommand} from '../../src/cli/base-command.js'
import {migrateStore} from '../../src/store/admin.js'
import {t} from '../../src/cli/messages/index.js'

export class DbMigrate extends BaseCommand<typeof DbMigrate> {
  static override summary = 'Apply pending migrations to the store'
  static override description =
    'Creates the SQLite file (0600) if needed. Every other command also migrates on open; this one is for a shared PostgreSQL database set up by an administrator.'
  static override examples = ['<%= config.bin %> db migrate', '<%= config.bin %> db migrate --db postgres://alpi@db.alpi.local/alpi']

  public async run() {
    const result = await migrateStore({url: this.dbUrl(), ...this.storeOptions()})
    this.print(result.applied.length ? t('applied', {names: result.applied.join(', ')}) : t('upToDate'))
    return result
  }
}
