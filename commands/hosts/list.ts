import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {formatTable} from '../../src/cli/table.js'
import {listHostKeys} from '../../src/remote/host-keys.js'
import {t} from '../../src/remote/messages/index.js'
import {th} from '../../src/cli/messages/index.js'

export class HostsList extends BaseCommand<typeof HostsList> {
  static override readOnly = true
  static override summary = 'List pinned SSH host keys'
  static override examples = ['<%= config.bin %> hosts list', '<%= config.bin %> hosts list --host 10.40.0.1 --json']
  static override flags = {host: Flags.string({description: 'Only this host'})}

  public async run() {
    const keys = await listHostKeys(await this.context(), {host: this.flags.host})
    this.print(
      keys.length
        ? formatTable(keys, [
            {key: 'host', header: th('host')},
            {key: 'port', header: th('port')},
            {key: 'keyType', header: th('type')},
            {key: 'fingerprint', header: th('fingerprint')},
            {key: 'addedAt', header: th('added')},
            {key: 'addedBy', header: th('by')},
          ])
        : t('none'),
    )
    return keys
  }
}
