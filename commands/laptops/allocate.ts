import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {importFlags} from '../../src/cli/import-flags.js'
import {importSummary} from '../../src/laptops/format.js'
import {allocate, allocateFromFile, type AllocateResult} from '../../src/laptops/giving.js'
import {t} from '../../src/laptops/messages/index.js'

export class LaptopsAllocate extends BaseCommand<typeof LaptopsAllocate> {
  static override summary = 'Allocate ready laptops to a site, within its convention and quota: N drawn, or the ones you choose'
  static override description = `--count N draws N ready laptops (grade A first, then the oldest ready). --serial S (repeatable)
allocates exactly those, all or nothing: one that is not ready refuses the whole list, naming
each one and what it needs first. --from FILE (one serial a row) allocates the rows that pass;
the refused rows go to the rejects file with their row numbers (exit 3). Beyond the site's
quota, nothing is allocated.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops allocate --site SMALAH --count 20',
    '<%= config.bin %> laptops allocate --site SMALAH --serial PF1A0001 --serial PF1A0002',
    '<%= config.bin %> laptops allocate --site SMALAH --from choisis.csv',
  ]
  static override flags = {
    site: Flags.string({description: 'Site code', required: true}),
    count: integer({description: 'How many laptops to draw', min: 1, max: 100_000, exactlyOne: ['count', 'serial', 'from']}),
    serial: Flags.string({description: 'A laptop to allocate (repeatable)', multiple: true, exactlyOne: ['count', 'serial', 'from']}),
    from: Flags.string({
      description: 'A CSV of serials to allocate (one a row), or - for standard input',
      exactlyOne: ['count', 'serial', 'from'],
    }),
    ...importFlags,
    'dry-run': Flags.boolean({
      description: 'With --from: check the rows and write the rejects file, allocate nothing',
      dependsOn: ['from'],
    }),
  }

  public async run() {
    const f = this.flags
    const view = (r: AllocateResult) =>
      `${t('allocated', {n: r.allocated.length, site: r.site, quota: r.quota, remaining: r.remaining})}\n${r.allocated.join('\n')}`
    if (f.from) {
      return this.summarised(
        allocateFromFile(await this.context(), {
          site: f.site,
          file: f.from,
          rejectsPath: f.rejects,
          repairEncoding: f['repair-encoding'],
          dryRun: f['dry-run'],
        }),
        (r) => [importSummary(r, 'whatLaptops'), r.allocation ? view(r.allocation) : ''].filter(Boolean).join('\n'),
      )
    }
    const r = await allocate(await this.context(), {site: f.site, count: f.count, serials: f.serial})
    this.print(view(r))
    return r
  }
}
