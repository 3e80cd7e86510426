import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {retirePc} from '../../src/win7/end-of-life.js'
import {t} from '../../src/win7/messages/index.js'
import {stateText} from '../../src/win7/states.js'

export class Win7Retire extends BaseCommand<typeof Win7Retire> {
  static override summary = 'Retire an old PC: link the wipe certificate of `alpi laptops certify --win7-pc`, or record its WEEE disposal'
  static override description = `The certificate JSON is the one \`alpi laptops certify --device DEV --win7-pc SERIAL\`
writes. It is checked: its serial must be this PC's, the wipe a success with a passed
verification. Its id, level and SHA-256 are recorded. The PC must be "installed" (its
replacement on site) first; the disk can be certified before that.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> win7 retire FX000001 --wiped-certificate certificat-effacement-FX000001-2026-02-01-3f1c2a9e.json',
    '<%= config.bin %> win7 retire FX000002 --disposal WEEE',
  ]
  static override args = {serial: Args.string({description: 'Serial of the old PC', required: true})}
  static override flags = {
    disposal: Flags.option({options: ['WEEE'] as const, description: 'Disposed of as WEEE (DEEE)', exclusive: ['wiped-certificate']})(),
    'wiped-certificate': Flags.string({
      description: 'Wipe certificate JSON written by alpi laptops certify --win7-pc',
      exclusive: ['disposal'],
    }),
  }

  public async run() {
    const r = await retirePc(await this.context(), {
      serial: this.args.serial,
      disposal: this.flags.disposal,
      wipedCertificate: this.flags['wiped-certificate'],
    })
    this.print(t('out.retired', {serial: r.serial, state: stateText(r.state)}))
    return r
  }
}
