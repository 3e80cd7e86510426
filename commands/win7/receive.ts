import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {lineText} from '../../src/cli/flags.js'
import {receivePc} from '../../src/win7/receive.js'
import {t} from '../../src/win7/messages/index.js'

export class Win7Receive extends BaseCommand<typeof Win7Receive> {
  static override summary = 'Record a new PC delivered by LAFI and the old PC it replaces (ordered → received)'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> win7 receive 5CG1234XYZ --replaces FX000001']
  static override args = {serial: Args.string({description: 'Serial number of the new PC', required: true})}
  static override flags = {
    replaces: Flags.string({description: 'Serial number of the old PC it replaces', required: true}),
    maker: lineText({description: 'Maker of the new PC', max: 100}),
    model: lineText({description: 'Model of the new PC', max: 100}),
  }

  public async run() {
    const r = await receivePc(await this.context(), {
      serial: this.args.serial,
      replaces: this.flags.replaces,
      maker: this.flags.maker,
      model: this.flags.model,
    })
    this.print(t('out.received', {serial: r.serial, member: r.member, old: r.replaces}))
    return r
  }
}
