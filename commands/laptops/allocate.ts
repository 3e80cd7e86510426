import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {allocate} from '../../src/laptops/giving.js'
import {t} from '../../src/laptops/messages.js'

export class LaptopsAllocate extends BaseCommand<typeof LaptopsAllocate> {
  static override summary = 'Allocate ready laptops to a site, within its convention and quota (all or nothing)'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops allocate --site SMALAH --count 20']
  static override flags = {
    site: Flags.string({description: 'Site code', required: true}),
    count: integer({description: 'How many laptops', required: true, min: 1, max: 100_000}),
  }

  public async run() {
    const r = await allocate(await this.context(), {site: this.flags.site, count: this.flags.count})
    this.print(t('allocated', {n: r.allocated.length, site: r.site, quota: r.quota, remaining: r.remaining}))
    this.print(r.allocated.join('\n'))
    return r
  }
}
