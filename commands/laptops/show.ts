import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {formatTable} from '../../src/cli/table.js'
import {showLaptop} from '../../src/laptops/records.js'
import {stateName, th} from '../../src/laptops/messages.js'

export class LaptopsShow extends BaseCommand<typeof LaptopsShow> {
  static override readOnly = true
  static override summary = 'Show one laptop: state, grade, image, history, wipe certificates, handovers'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops show PF1ABCDE', '<%= config.bin %> laptops show PF1ABCDE --json']
  static override args = {serial: Args.string({description: 'Laptop serial', required: true})}

  public async run() {
    const d = await showLaptop(await this.context(), this.args.serial)
    const l = d.laptop
    this.print(`${l.serial}  ${l.maker ?? ''} ${l.model ?? ''}  state ${l.state}  grade ${l.grade ?? '-'}  verdict ${l.verdict ?? '-'}  site ${l.site_code ?? '-'}  image ${l.image_name ?? '-'}`)
    this.print(formatTable(d.events.map((e) => ({...e, from: e.from ? stateName(e.from) : e.from, to: stateName(e.to)})), [{key: 'at', header: th('at')}, {key: 'from', header: th('from')}, {key: 'to', header: th('to')}, {key: 'actor', header: th('by')}]))
    for (const c of d.wipeCertificates) this.print(`wipe ${c.id} ${c.method} ${c.level} ${c.verified ? 'verified' : 'NOT VERIFIED'} ${c.ended_at}`)
    for (const h of d.handovers) this.print(`handover ${h.id} at ${h.site} ${h.handed_at}${h.returned_at ? `, returned ${h.returned_at}` : ''}`)
    return d
  }
}
