import {BaseCommand} from '../../src/cli/base-command.js'
import {configPaths} from '../../src/core/config-service.js'

export class ConfigPath extends BaseCommand<typeof ConfigPath> {
  static override summary = 'Show where the config file and the default store are'
  static override examples = ['<%= config.bin %> config path']

  public async run() {
    const r = configPaths(this.dbUrl())
    this.print(`config: ${r.config}\ndata:   ${r.dataDir}\nstore:  ${r.db}`)
    return r
  }
}
