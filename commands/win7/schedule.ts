import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer, isoDate} from '../../src/cli/flags.js'
import {scheduleView} from '../../src/win7/format.js'
import {scheduleVisits} from '../../src/win7/schedule.js'

export class Win7Schedule extends BaseCommand<typeof Win7Schedule> {
  static override summary = 'Plan the installation visits of the staged PCs: an ICS calendar and a CSV'
  static override description = `Visits are grouped by member and commune, at most --per-day PCs a working day (no weekends,
no French public holidays). Writes planning-installations.ics and planning-installations.csv; planning
again replaces the earlier visits of the same PCs.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> win7 schedule --from 2026-04-07 --per-day 4',
    '<%= config.bin %> win7 schedule --from 2026-04-07 --per-day 4 --member mairie-de-pissos --out-dir planning/',
  ]
  static override flags = {
    from: isoDate({description: 'First day YYYY-MM-DD', required: true}),
    'per-day': integer({description: 'PCs installed a day', required: true, min: 1, max: 1000}),
    member: Flags.string({description: 'Only this member'}),
    'out-dir': Flags.string({description: 'Folder of the ICS and CSV files (default: current folder)'}),
  }

  public async run() {
    const f = this.flags
    const r = await scheduleVisits(await this.context(), {from: f.from, perDay: f['per-day'], member: f.member, outDir: f['out-dir']})
    this.print(scheduleView(r))
    return r
  }
}
