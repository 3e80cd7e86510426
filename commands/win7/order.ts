import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {isoDate} from '../../src/cli/flags.js'
import {orderView} from '../../src/win7/format.js'
import {orderForMember} from '../../src/win7/order.js'

export class Win7Order extends BaseCommand<typeof Win7Order> {
  static override summary = "Order the replacements of a member's PCs through LAFI, checked against the supply policy"
  static override description = `One line per PC to replace (the cheapest available catalogue item of its category). A
category blocked by the supply policy on the order date comes back as its allowed alternative
(in the 2020 shortage: a laptop → a tower and a screen). All or nothing. Writes the CSV for LAFI
(';', UTF-8 with BOM) and records the order; the PCs become "ordered".

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> win7 order --member mairie-de-pissos',
    '<%= config.bin %> win7 order --member mairie-de-pissos --date 2020-05-04 --dry-run',
  ]
  static override flags = {
    member: Flags.string({description: 'Member code (see win7 status)', required: true}),
    date: isoDate({description: 'Order date YYYY-MM-DD (default today): the policy is checked on it'}),
    policy: Flags.string({description: 'Supply policy JSON (default templates/win7/supply-policy.json)'}),
    out: Flags.string({description: 'CSV for LAFI (default ./commande-lafi-MEMBER-DATE.csv)'}),
    'dry-run': Flags.boolean({description: 'Propose the lines only: no file, nothing recorded'}),
  }

  public async run() {
    const f = this.flags
    const r = await orderForMember(await this.context(), {
      member: f.member,
      date: f.date,
      policyPath: f.policy,
      out: f.out,
      dryRun: f['dry-run'],
    })
    this.print(orderView(r))
    return r
  }
}
