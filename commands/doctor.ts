import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../src/cli/base-command.js'
import {doctorView} from '../src/cli/format.js'
import {notReady, runDoctor, type Campaign} from '../src/tools/doctor.js'

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
    this.print(doctorView(report))
    if (!report.ok) throw notReady(report)
    return report
  }
}
