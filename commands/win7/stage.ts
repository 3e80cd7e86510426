import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {executeStaging, parseSshSpec} from '../../src/win7/execute.js'
import {executedView} from '../../src/win7/format.js'
import {renderStaging} from '../../src/win7/staging.js'
import {t} from '../../src/win7/messages/index.js'

export class Win7Stage extends BaseCommand<typeof Win7Stage> {
  static override summary = 'Render the staging package of a new PC (autounattend.xml, stage.ps1, scanstate.cmd), or run its steps over SSH'
  static override description = `autounattend.xml: fr-FR, Romance Standard Time, the member's computer name, domain join with
the dedicated join account. Its password comes from --join-password-file or ALPI_JOIN_PASSWORD, goes
into the answer file only (mode 0600) and never into logs or the audit: delete the file after use.
stage.ps1 installs the member's software (winget) and restores the user's data (USMT LoadState);
scanstate.cmd captures the data on the old PC first.

--execute --ssh USER@HOST runs the same steps on the new PC over SSH (Windows OpenSSH server; its
host key must be trusted: alpi hosts trust). Each step's result is recorded; a re-run skips the
steps already ok. Exit 4 when a step failed.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> win7 stage 5CG1234XYZ --join-password-file ~/.config/alpi/join.pw',
    '<%= config.bin %> win7 stage 5CG1234XYZ --execute --ssh adminlocal@198.51.100.20 --identity ~/.ssh/id_ed25519',
  ]
  static override args = {serial: Args.string({description: 'Serial number of the new PC', required: true})}
  static override flags = {
    out: Flags.string({description: 'Output folder (default ./staging/SERIAL)'}),
    'join-password-file': Flags.string({description: 'File holding the join password (else env ALPI_JOIN_PASSWORD)'}),
    execute: Flags.boolean({description: 'Run the staging steps on the new PC over SSH', dependsOn: ['ssh']}),
    ssh: Flags.string({description: 'USER@HOST[:PORT] of the new PC (with --execute)'}),
    identity: Flags.string({description: 'SSH private key file (default: the SSH agent)'}),
  }

  public async run() {
    const f = this.flags
    const ctx = await this.context()
    if (f.execute) {
      const ssh = parseSshSpec(f.ssh!, f.identity ? {privateKeyPath: f.identity} : {agent: true})
      // a failed step (exit 4): every step's line and the PC's state, then the error
      return this.summarised(executeStaging(ctx, {serial: this.args.serial, ssh}), executedView)
    }
    const r = await renderStaging(ctx, {serial: this.args.serial, outDir: f.out, joinPasswordFile: f['join-password-file']})
    this.print(t('out.rendered', {serial: r.serial, name: r.computerName, old: r.replaces, dir: r.dir}))
    this.print(
      Object.values(r.files)
        .map((p) => `  ${p}`)
        .join('\n'),
    )
    this.print(t('out.deleteAfterUse', {files: r.deleteAfterUse.join(', ')}))
    return r
  }
}
