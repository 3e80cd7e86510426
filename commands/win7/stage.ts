import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {renderStaging} from '../../src/win7/staging.js'

export class Win7Stage extends BaseCommand<typeof Win7Stage> {
  static override summary = 'Render the staging package of a new PC: autounattend.xml, stage.ps1, scanstate.cmd'
  static override description = `autounattend.xml: fr-FR, Romance Standard Time, the member's computer name, domain join with
the dedicated join account. Its password comes from --join-password-file or ALPI_JOIN_PASSWORD, goes
into the answer file only (mode 0600) and never into logs or the audit: delete the file after use.
stage.ps1 installs the member's software (winget) and restores the user's data (USMT LoadState);
scanstate.cmd captures the data on the old PC first.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> win7 stage 5CG1234XYZ --join-password-file ~/.config/alpi/join.pw']
  static override args = {serial: Args.string({description: 'Serial number of the new PC', required: true})}
  static override flags = {
    out: Flags.string({description: 'Output folder (default ./staging/SERIAL)'}),
    'join-password-file': Flags.string({description: 'File holding the join password (else env ALPI_JOIN_PASSWORD)'}),
  }

  public async run() {
    const r = await renderStaging(await this.context(), {serial: this.args.serial, outDir: this.flags.out, joinPasswordFile: this.flags['join-password-file']})
    this.print(`${r.serial} (${r.computerName}) replaces ${r.replaces}: ${r.dir}`)
    this.print(Object.values(r.files).map((f) => `  ${f}`).join('\n'))
    this.print(`Delete after use: ${r.deleteAfterUse.join(', ')}`)
    return r
  }
}
