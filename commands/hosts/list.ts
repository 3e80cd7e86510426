import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {hostsListView} from '../../src/cli/format.js'
import {listHostKeys} from '../../src/remote/host-keys.js'

export class HostsList extends BaseCommand<typeof HostsList> {
  static override readOnly = true
  static override summary = 'List pinned SSH host keys'
  static override examples = ['<%= config.bin %> hosts list', '<%= config.bin %> hosts list --host 10.40.0.1 --json']
  static override flags = {host: Flags.string({description: 'Only this host'})}

  public async run() {
    const keys = await listHostKeys(await this.context(), {host: this.flags.host})
    this.print(hostsListView(keys))
    return keys
  }
}
