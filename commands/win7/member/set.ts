import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {setMember} from '../../../src/win7/member.js'
import {t} from '../../../src/win7/messages/index.js'

export class Win7MemberSet extends BaseCommand<typeof Win7MemberSet> {
  static override summary = "Set a member's staging settings: naming rule, domain, OU, join account, software, commune"
  static override description = `Unset settings fall back to the "win7" config section (alpi config set win7.domain ...).
Naming rule tokens: {code}, {code:N}, {site:N}, {serial:N} (last N characters); 15 characters at most.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> win7 member set mairie-de-pissos --domain pissos.local --naming-rule "PIS-{serial:8}" --software Mozilla.Firefox.ESR,7zip.7zip',
  ]
  static override args = {member: Args.string({description: 'Member code', required: true})}
  static override flags = {
    commune: Flags.string({description: 'Commune (groups the installation visits)'}),
    'naming-rule': Flags.string({description: 'Computer name rule'}),
    domain: Flags.string({description: 'AD domain to join'}),
    ou: Flags.string({description: 'OU of the computer objects'}),
    'join-account': Flags.string({description: 'Dedicated account that may only join computers'}),
    software: Flags.string({description: 'winget ids, comma-separated'}),
    'usmt-store': Flags.string({description: 'UNC folder of the USMT stores'}),
  }

  public async run() {
    const f = this.flags
    const r = await setMember(await this.context(), this.args.member, {
      commune: f.commune,
      namingRule: f['naming-rule'],
      domain: f.domain,
      ou: f.ou,
      joinAccount: f['join-account'],
      software: f.software
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      usmtStore: f['usmt-store'],
    })
    this.print(t('out.memberSet', {member: r.code}))
    return r
  }
}
