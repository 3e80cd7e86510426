import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {markInstalled} from '../../src/win7/end-of-life.js'
import {t} from '../../src/win7/messages/index.js'

export class Win7Installed extends BaseCommand<typeof Win7Installed> {
  static override summary = 'Record that a new PC is installed on site (staged → installed)'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> win7 installed 5CG1234XYZ']
  static override args = {serial: Args.string({description: 'Serial of the new PC (or of the old PC it replaces)', required: true})}

  public async run() {
    const r = await markInstalled(await this.context(), {serial: this.args.serial})
    this.print(t('out.installed', {serial: r.replacement ?? r.serial, old: r.serial}))
    return r
  }
}
