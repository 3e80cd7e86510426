import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {writeFileAtomic} from '../../src/core/fs.js'
import {t} from '../../src/firewalls/messages/index.js'
import {worksheet} from '../../src/firewalls/reports.js'

export class FirewallsWorksheet extends BaseCommand<typeof FirewallsWorksheet> {
  static override readOnly = true
  static override summary = 'Printable install sheet (French HTML) of one school: box, network plan, filtering, steps, signatures'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> firewalls worksheet 0400005N --output fiche-0400005N.html']
  static override args = {uai: Args.string({description: "The school's UAI", required: true})}
  static override flags = {output: Flags.string({char: 'o', description: 'Write to this file instead of stdout'})}

  public async run() {
    const {data, html} = await worksheet(await this.context(), this.args.uai)
    if (this.flags.output) {
      writeFileAtomic(this.flags.output, html)
      this.out.info(t('written', {path: this.flags.output}))
    } else this.print(html)
    return data
  }
}
