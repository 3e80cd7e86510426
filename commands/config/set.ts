import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {setConfigValue} from '../../src/core/config-service.js'
import {UsageError} from '../../src/core/errors.js'
import {coreMessages} from '../../src/core/messages/index.js'

export class ConfigSet extends BaseCommand<typeof ConfigSet> {
  static override summary = 'Change one setting in the config file (XDG, 0600)'
  static override examples = ['<%= config.bin %> config set technician "J. Dupont"', '<%= config.bin %> config set laptops.batteryMinHealth 60', '<%= config.bin %> config set db --unset']
  static override args = {
    key: Args.string({required: true, description: 'Dotted key.'}),
    value: Args.string({description: 'Value (JSON numbers, booleans and objects are parsed).'}),
  }
  static override flags = {unset: Flags.boolean({description: 'Remove the key.'})}

  public async run() {
    if (this.args.value === undefined && !this.flags.unset) throw new UsageError(coreMessages.core.m('configValueNeeded'))
    const r = setConfigValue(this.args.key, this.flags.unset ? undefined : this.args.value)
    this.print(`${r.key} ${r.value === undefined ? 'removed' : 'set'} in ${r.path}`)
    return r
  }
}
