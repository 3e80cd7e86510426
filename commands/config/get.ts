import {Args} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {getConfigValue} from '../../src/core/config-service.js'

export class ConfigGet extends BaseCommand<typeof ConfigGet> {
  static override summary = 'Show one setting, or all of them'
  static override examples = [
    '<%= config.bin %> config get technician',
    '<%= config.bin %> config get laptops.grading.batteryMinHealthPct',
    '<%= config.bin %> config get --json',
  ]
  static override args = {key: Args.string({description: 'Dotted key (technician, laptops.grading.batteryMinHealthPct...); none for all.'})}

  public async run() {
    const r = getConfigValue(this.args.key)
    this.print(r.value === undefined ? '(not set)' : typeof r.value === 'string' ? r.value : JSON.stringify(r.value, null, 2))
    return r
  }
}
