import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {backupStore} from '../../src/store/admin.js'
import {t} from '../../src/cli/messages/index.js'

export class DbBackup extends BaseCommand<typeof DbBackup> {
  static override readOnly = true
  static override summary = 'Make a consistent copy of the store while others use it'
  static override description =
    'SQLite: the online backup API (a consistent snapshot even while another process writes). PostgreSQL: pg_dump in custom format. The copy is 0600 and never overwrites a file.'
  static override examples = ['<%= config.bin %> db backup --output /media/usb/alpi-2026-11-28.sqlite']
  static override flags = {
    output: Flags.string({char: 'o', required: true, description: 'Path of the copy (must not exist).'}),
  }

  public async run() {
    const r = await backupStore({url: this.dbUrl(), output: this.flags.output, signal: this.signal})
    this.print(t('backupWritten', {path: r.output, bytes: r.bytes}))
    return r
  }
}
