import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {PartialFailure} from '../../src/core/errors.js'
import {t} from '../../src/firewalls/messages/index.js'
import {checkDetail, checkLabel, verifySchools, type VerifyReport} from '../../src/firewalls/verify.js'

export class FirewallsVerify extends BaseCommand<typeof FirewallsVerify> {
  static override summary = 'Prove the filtering works: box health over SSH, or DNS checks from a laptop on the school LAN'
  static override description = `Management side (default; every school or --school): services up, files identical to the last
deploy, query log rotation of at least a year, every list category the policy requires on the box, age of
the oldest one. With --from-lan (run on a laptop plugged into the school's LAN; one --school): for every
category the school's policy requires, sample names (firewalls.verifySamples, default 5) taken from the list
version the school should have (the latest) must each get the box's block answer (a name that resolves, or
only NXDOMAIN, fails: it proves nothing); an allowed name resolves; an outside resolver is refused or
redirected; known DNS-over-HTTPS names are blocked. Only a --from-lan verification can make a school
"verified" in \`alpi firewalls compliance\`.
Results are stored per school with their date (see \`alpi firewalls compliance\`). Exit 4 when a school fails.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> firewalls verify', '<%= config.bin %> firewalls verify --from-lan --school 0400005N']
  static override flags = {
    school: Flags.string({description: 'This school (UAI); repeatable', multiple: true}),
    'from-lan': Flags.boolean({description: 'Check from this computer, plugged into the school LAN'}),
    dns: Flags.string({description: 'With --from-lan: the DNS server pupils get (default: the box LAN address)'}),
    'outside-dns': Flags.string({description: 'With --from-lan: an outside resolver that must be refused or redirected (default 9.9.9.9)'}),
    'allowed-domain': Flags.string({description: 'With --from-lan: a name that must resolve'}),
    identity: Flags.string({char: 'i', description: 'SSH private key file for the boxes'}),
    concurrency: integer({description: 'Boxes in parallel', min: 1, max: 200}),
  }

  public async run() {
    const ctx = await this.context()
    const r = await verifySchools(ctx, {
      uais: this.flags.school,
      fromLan: this.flags['from-lan'],
      dns: this.flags.dns,
      outsideDns: this.flags['outside-dns'],
      allowedDomain: this.flags['allowed-domain'],
      concurrency: this.flags.concurrency,
      ssh: {identity: this.flags.identity},
    }).catch((error) => {
      if (error instanceof PartialFailure) this.print(this.lines(error.data as VerifyReport))
      throw error
    })
    this.print(this.lines(r))
    return r
  }

  private lines(r: VerifyReport): string {
    const out: string[] = []
    for (const v of r.verifications) {
      out.push(`${v.uai} ${t(`side.${v.side}`)} ${t(v.passed ? 'verifyPass' : 'verifyFail')} ${v.at}`)
      const [ok, fail] = [t('verifyOk'), t('verifyFail')]
      const width = Math.max(ok.length, fail.length)
      for (const c of v.checks) out.push(`  ${(c.passed ? ok : fail).padEnd(width)} ${checkLabel(c)}: ${checkDetail(c)}`)
    }
    for (const e of r.errors) out.push(`${e.uai} ${t(`side.${r.side}`)} ${t('verifyError')} ${e.code}: ${e.message}`)
    return out.join('\n')
  }
}
