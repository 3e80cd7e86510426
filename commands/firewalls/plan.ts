import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {RuleViolation} from '../../src/core/errors.js'
import {formatPlan} from '../../src/firewalls/format.js'
import {t} from '../../src/firewalls/messages.js'
import {planCommand} from '../../src/firewalls/plan.js'

export class FirewallsPlan extends BaseCommand<typeof FirewallsPlan> {
  static override readOnly = true
  static override summary = 'Render each school box config (profile base + overrides), check addressing, diff against the last deploy'
  static override description = `Nothing is sent to any box. A school is "new" (never deployed), "changed", "unchanged" or
"invalid" (addressing problem, LANs overlapping on a shared VPN, bad profile variables, no management address,
a list category the deploy would take off the box: see \`alpi firewalls deploy --help\`).
Exit 1 when some school is invalid (the plan is still printed).

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> firewalls plan', '<%= config.bin %> firewalls plan --school 0400005N --json']
  static override flags = {
    school: Flags.string({description: 'Only this school (UAI); repeatable', multiple: true}),
    'no-diff': Flags.boolean({description: 'Only the summary lines, no file diffs'}),
    'allow-drop': Flags.string({description: 'As deploy --allow-drop: plan as if this category may be taken off the boxes; repeatable', multiple: true}),
  }

  public async run() {
    const r = await planCommand(await this.context(), {uais: this.flags.school, allowDrop: this.flags['allow-drop']})
    this.print(formatPlan(r, {diffs: !this.flags['no-diff']}))
    this.out.info(t('planOk', {count: r.counts.total, changed: r.counts.changed, same: r.counts.unchanged, problems: r.counts.invalid}))
    if (r.counts.invalid > 0) {
      throw new RuleViolation('PLAN_INVALID', `${r.counts.invalid} school(s) have problems: ${r.schools.filter((s) => s.status === 'invalid').map((s) => s.uai).join(', ')}`, {
        actions: ['Fix the rows in the register file and import it again, then re-run `alpi firewalls plan`.'],
        data: r,
      })
    }
    return r
  }
}
