import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {pipelineStatusView} from '../../src/win7/format.js'
import {pipelineStatus} from '../../src/win7/status.js'

export class Win7Status extends BaseCommand<typeof Win7Status> {
  static override readOnly = true
  static override summary = 'The replacement pipeline: PCs per state and member (per site with --member), and PCs stuck in a state'
  static override description = EXIT_CODES_HELP
  static override examples = [
    '<%= config.bin %> win7 status',
    '<%= config.bin %> win7 status --member mairie-de-pissos --stuck-days 7 --json',
  ]
  static override flags = {
    member: Flags.string({description: 'Only this member (adds a line per site)'}),
    'stuck-days': integer({description: 'Stuck: in a non-final state for more than this many days', default: 14, min: 0, max: 36_500}),
  }

  public async run() {
    const r = await pipelineStatus(await this.context(), {member: this.flags.member, stuckDays: this.flags['stuck-days']})
    this.print(pipelineStatusView(r, Boolean(this.flags.member)))
    return r
  }
}
