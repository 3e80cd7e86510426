import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../src/cli/base-command.js'
import {formatTable} from '../src/cli/table.js'
import {runDoctor, t, type Campaign} from '../src/tools/doctor.js'
import {AlpiError, EXIT} from '../src/core/errors.js'

export class Doctor extends BaseCommand<typeof Doctor> {
  // Not `readOnly`: it never calls this.store(); it looks at the store only if it exists
  // (read-only, no migration, no lock) and reports a missing one instead of refusing.
  static override summary = 'Check this machine: runtime, store, the tools each campaign runs, config, clock and locale'
  static override description = `Prints one table and, when something is missing, the one apt-get line that installs it all.
Exit 0 when every needed check passes (a warning, such as pg_dump missing with an SQLite store, does not fail).

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --campaign laptops --json']
  static override flags = {
    campaign: Flags.option({
      options: ['laptops', 'firewalls', 'cityfamily', 'win7', 'store'] as const,
      multiple: true,
      description: 'Only the tools of these campaigns (default: all)',
    })(),
  }

  public async run() {
    const report = await runDoctor({dbUrl: this.dbUrl(), campaigns: this.flags.campaign as Campaign[] | undefined})
    const rows = report.checks.map((c) => ({
      check: c.check,
      status: t(c.status),
      detail: c.detail,
      pkg: c.status === 'ok' ? '' : (c.pkg ?? ''),
    }))
    this.print(
      formatTable(rows, [
        {key: 'check', header: t('colCheck')},
        {key: 'status', header: t('colStatus')},
        {key: 'detail', header: t('colDetail')},
        {key: 'pkg', header: t('colPkg')},
      ]),
    )
    if (!report.ok) {
      const failed = report.checks.filter((c) => c.status === 'missing' || c.status === 'failed').length
      const actions = [
        ...(report.install.length > 0 ? [t('installAll', {pkgs: report.install.join(' ')})] : []),
        ...(report.checks.some((c) => c.status === 'failed') ? [t('fixListed')] : []),
      ]
      throw new AlpiError('NOT_READY', t(failed === 1 ? 'notReadyOne' : 'notReadyMany', {n: failed}), EXIT.failure, {actions, data: report})
    }
    this.print(t('allGood'))
    return report
  }
}
