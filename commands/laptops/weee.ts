import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {isoDate, lineText} from '../../src/cli/flags.js'
import {weeeHandoff} from '../../src/laptops/certify.js'
import {weeeDoneLine, weeeView} from '../../src/laptops/format.js'

export class LaptopsWeee extends BaseCommand<typeof LaptopsWeee> {
  static override summary =
    "The WEEE hand-off list for the recycler's pickup (CSV and French PDF): serials, certificate ids, date, collector"
  static override description = `Lists every successful certificate of a disk that leaves (scrapped laptops, parts disks, old
win7 PCs: \`alpi laptops certify\`) not yet handed to a collector, records them as handed to
--collector on --date (default today), and writes the list as CSV (--csv) and as a French PDF
to sign (--pdf). --dry-run lists without recording. A certificate is handed over once.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops weee --collector "Ecologic" --csv deee.csv --pdf bordereau-deee.pdf',
    '<%= config.bin %> laptops weee --collector "Ecologic" --dry-run',
  ]
  static override flags = {
    collector: lineText({description: 'The WEEE collector (company or association)', required: true}),
    date: isoDate({description: 'Date of the pickup (default today)'}),
    csv: Flags.string({description: 'Write the list as CSV to this file'}),
    pdf: Flags.string({description: 'Write the French hand-off form (PDF) to this file'}),
    'dry-run': Flags.boolean({description: 'List only, record nothing'}),
  }

  public async run() {
    const f = this.flags
    const r = await weeeHandoff(await this.context(), {collector: f.collector, date: f.date, csv: f.csv, pdf: f.pdf, dryRun: f['dry-run']})
    this.print(weeeView(r))
    this.out.info(weeeDoneLine(r, f['dry-run']))
    return r
  }
}
