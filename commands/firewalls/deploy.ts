import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {confirmAction} from '../../src/cli/prompt.js'
import {PartialFailure} from '../../src/core/errors.js'
import {deploySchools, selectionFrom, type DeployReport} from '../../src/firewalls/deploy.js'
import {deployPlanView, deployView} from '../../src/firewalls/format.js'
import {t} from '../../src/firewalls/messages/index.js'

export class FirewallsDeploy extends BaseCommand<typeof FirewallsDeploy> {
  static override summary = 'Push each school box its config safely: validate on the box, apply with a rollback timer, check, confirm'
  static override description = `Over SSH with pinned host keys (\`alpi hosts trust\`). Per school: upload to the profile's staging
folder, validate on the box, apply (the box starts its own rollback timer first), then from a fresh connection
check the services and file hashes and confirm. A config that breaks the box or its management link is never
confirmed: the box restores its previous config by itself. Resumable: re-running the same command retries
only the schools that failed. Unchanged schools are not touched (--force to push anyway).
A school's list categories never shrink unnoticed: a deploy that would take a category off a box is refused
for that school (FILTER_CATEGORY_DROPPED, exit 4 with the others' results). When the list version lacks a
category the school's policy requires, load it (\`alpi firewalls lists update --category NAME\`: the other
categories are kept). When the register no longer requires it, name it: --allow-drop NAME (repeatable).
SSH: --identity KEY or config firewalls.identity, else the SSH agent; user from the register or firewalls.sshUser.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> firewalls deploy --school 0400005N --dry-run --diff',
    '<%= config.bin %> firewalls deploy --all --concurrency 20 --yes',
    '<%= config.bin %> firewalls deploy --all --yes --json',
  ]
  static override flags = {
    school: Flags.string({description: 'This school (UAI); repeatable', multiple: true}),
    all: Flags.boolean({description: 'Every school of the register'}),
    concurrency: integer({description: 'Boxes in parallel (default: config firewalls.concurrency or 10)', min: 1, max: 200}),
    'dry-run': Flags.boolean({description: 'Show the plan only (one line per school); nothing is sent'}),
    diff: Flags.boolean({description: 'With --dry-run: also the file diffs', dependsOn: ['dry-run']}),
    force: Flags.boolean({description: 'Push also to schools whose config is unchanged'}),
    identity: Flags.string({char: 'i', description: 'SSH private key file for the boxes'}),
    retries: integer({description: 'Extra attempts for an unreachable box', min: 0, max: 10}),
    'allow-drop': Flags.string({
      description: "Let this category, no longer in the school's policy, be taken off the box; repeatable",
      multiple: true,
    }),
  }

  public async run() {
    const ctx = await this.context()
    const opts = {
      uais: this.flags.school,
      all: this.flags.all,
      concurrency: this.flags.concurrency,
      dryRun: this.flags['dry-run'],
      diff: this.flags.diff,
      force: this.flags.force,
      retries: this.flags.retries,
      allowDrop: this.flags['allow-drop'],
      ssh: {identity: this.flags.identity},
    }
    selectionFrom(opts)
    if (!opts.dryRun) await confirmAction(this.guard, opts.all ? t('confirmDeployAll') : t('confirmDeploySome', {count: opts.uais!.length}))
    const r = await deploySchools(ctx, opts).catch((error) => {
      if (error instanceof PartialFailure) this.print(deployView(error.data as DeployReport))
      throw error
    })
    if (r.dryRun) {
      this.print(deployPlanView(r, this.flags.diff))
      this.out.info(t('dryRun'))
      return r
    }
    this.print(deployView(r))
    this.out.info(t('deployDone', {ok: r.ok, failed: r.failed, skipped: r.skipped}))
    return r
  }
}
