import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {assessFleet} from '../../src/win7/assess.js'
import {assessView} from '../../src/win7/format.js'

export class Win7Assess extends BaseCommand<typeof Win7Assess> {
  static override summary = 'Give each PC a Windows 11 verdict (upgrade in place, replace, unknown) with every reason'
  static override description = `Requirements: a processor on the supported list (templates/win7/win11-cpus.json, a documented
subset of Microsoft's lists), TPM 2.0, UEFI with Secure Boot, 4 GB of memory, 64 GB of disk. A fact
missing from the inventory gives "unknown", never a guess. PCs already ordered keep their verdict.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> win7 assess', '<%= config.bin %> win7 assess --member mairie-de-pissos --detail']
  static override flags = {
    member: Flags.string({description: 'Only this member (code)'}),
    detail: Flags.boolean({description: 'One line per PC with its reasons'}),
  }

  public async run() {
    const r = await assessFleet(await this.context(), {member: this.flags.member})
    this.print(assessView(r, this.flags.detail))
    return r
  }
}
