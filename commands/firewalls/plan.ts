import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {RuleViolation} from '../../src/core/errors.js'
import {formatPlan} from '../../src/firewalls/format.js'
import {t} from '../../src/firewalls/messages/index.js'
import {planCommand} from '../../src/firewalls/plan.js'

export class FirewallsPlan extends BaseCommand<typeof FirewallsPlan> {
  static override readOnly = true
  static override summary = 'Render each school box config (profile base + overrides), check addressing, diff against the last deploy'
  static override description = `Nothing is sent to any box. One line per school: its status, what a deploy would change in
the files, the filtering lists version, the number of categories the filter blocks, its LAN, its problems and
notes; --diff adds the file diffs. A school is "new" (never deployed), "changed", "unchanged" or "invalid"
(addressing problem, LANs overlapping on a shared VPN, bad profile variables, a list category the deploy would
take off the box: see \`alpi firewalls deploy --help\`; --allow-drop NAME plans as the deploy would with it).
A required category the list version lacks is a note. A school without a box address yet is planned (a note
says deploy needs one). Exit 1 when some school is invalid (the plan is still printed).

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> firewalls plan',
    '<%= config.bin %> firewalls plan --school 0400005N --diff',
    '<%= config.bin %> firewalls plan --school 0400005N --json',
  ]
  static override flags = {
    school: Flags.string({description: 'Only this school (UAI); repeatable', multiple: true}),
    diff: Flags.boolean({description: 'Also the file diffs against the last deploy (--json: files[].diff)'}),
    'allow-drop': Flags.string({
      description: 'As deploy --allow-drop: plan as if this category may be taken off the boxes; repeatable',
      multiple: true,
    }),
  }

  public async run() {
    const r = await planCommand(await this.context(), {
      uais: this.flags.school,
      withDiff: this.flags.diff,
      allowDrop: this.flags['allow-drop'],
    })
    this.print(formatPlan(r, {diffs: this.flags.diff}))
    this.out.info(t('planOk', {count: r.counts.total, changed: r.counts.changed, same: r.counts.unchanged, problems: r.counts.invalid}))
    if (r.counts.invalid > 0) {
      throw new RuleViolation(
        'PLAN_INVALID',
        t('planInvalid', {
          count: r.counts.invalid,
          uais: r.schools
            .filter((s) => s.status === 'invalid')
            .map((s) => s.uai)
            .join(', '),
        }),
        {
          actions: [t('planInvalidAction')],
          data: r,
        },
      )
    }
    return r
  }
}
