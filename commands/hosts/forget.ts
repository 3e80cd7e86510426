import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {forgetHostKey} from '../../src/remote/host-keys.js'
import {t} from '../../src/remote/messages/index.js'

export class HostsForget extends BaseCommand<typeof HostsForget> {
  static override summary = 'Forget the pinned SSH host key of a machine (connections are then refused until trusted again)'
  static override description = EXIT_CODES_HELP
  static override examples = [
    '<%= config.bin %> hosts forget 10.40.0.1',
    '<%= config.bin %> hosts forget box-0400001k.lan --port 2222 --json',
  ]
  static override args = {host: Args.string({description: 'Host name or address', required: true})}
  static override flags = {port: integer({description: 'SSH port', default: 22, min: 1, max: 65535})}

  public async run() {
    const r = await forgetHostKey(await this.context(), {host: this.args.host, port: this.flags.port})
    this.print(t('forgotten', {host: r.host, port: r.port, fp: r.fingerprint}))
    return r
  }
}
