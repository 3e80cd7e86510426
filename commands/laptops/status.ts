import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {laptopsStatusView} from '../../src/laptops/format.js'
import {laptopStatus} from '../../src/laptops/status.js'

export class LaptopsStatus extends BaseCommand<typeof LaptopsStatus> {
  static override readOnly = true
  static override summary =
    "What a manager reads: counts by state, throughput per week, ready stock per model, time per stage, sites' quotas"
  static override description = `Weeks are ISO weeks in Europe/Paris time, counted from the laptops' moves (received, wiped, ready, handed over). Stage times are medians in days over every laptop that made the move. --json carries the same figures.\n\n${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops status',
    '<%= config.bin %> laptops status --weeks 26 --json',
    '<%= config.bin %> laptops status --days 30',
  ]
  static override flags = {
    days: integer({description: 'Also list the moves per day, for the last N days', min: 1, max: 36_500}),
    weeks: integer({description: 'How many ISO weeks of throughput, up to this one', min: 1, max: 520, default: 12}),
  }

  public async run() {
    const s = await laptopStatus(await this.context(), {days: this.flags.days, weeks: this.flags.weeks})
    this.print(laptopsStatusView(s, this.flags.days))
    return s
  }
}
