import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {schoolShowView} from '../../../src/firewalls/format.js'
import {showSchool} from '../../../src/firewalls/register.js'

export class FirewallsSchoolsShow extends BaseCommand<typeof FirewallsSchoolsShow> {
  static override readOnly = true
  static override summary = 'One school of the register: each value, and whether a list gave it or ALPI derived it (and by which rule)'
  static override description = `HOW is "given" (by the national directory or a school list), "derived" (box address and DHCP
range from the LAN, authority from the commune, its kind from its name), "allocated" (LAN from
firewalls.addressing.pool, kept since) or "default" (WAN mode of the profile, port 22, profile).

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> firewalls schools show 0400005N',
    '<%= config.bin %> firewalls schools show 0400005N --json',
  ]
  static override args = {uai: Args.string({description: "The school's UAI", required: true})}

  public async run() {
    const r = await showSchool(await this.context(), this.args.uai)
    this.print(schoolShowView(r))
    return r
  }
}
