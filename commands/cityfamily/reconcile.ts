import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {reconcile} from '../../src/cityfamily/reconcile.js'
import {reconcileOkLine, reconcileView, withSummary} from '../../src/cityfamily/format.js'

export class CityfamilyReconcile extends BaseCommand<typeof CityfamilyReconcile> {
  static override summary =
    'Account for every row of an Abelium export in the CityFamily files: per entity and per household, with what the migration left behind'
  static override description = `Each side is computed on its own (source through the Abelium mapping, target through the CityFamily mapping); rejets.tsv and rapport.json in the output folder say which rows migrate left behind or merged. Per entity, rows in the export = rows written + rows left behind + rows merged; per household, members, invoices, invoiced, paid and unpaid match once the rows left behind are taken out. Exit 0 ("no difference") only when every row is in the output; exit 3 when rows were left behind (listed with the households they touch and the amounts they carry); exit 1 when anything else differs (listed).\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> cityfamily reconcile ./abelium-demo ./cityfamily-demo']
  static override args = {
    source: Args.string({required: true, description: 'Folder of the Abelium export.'}),
    target: Args.string({required: true, description: 'Folder written by `cityfamily migrate`.'}),
  }
  static override flags = {
    mapping: Flags.string({description: 'CityFamily mapping file used by migrate.'}),
    'source-mapping': Flags.string({description: 'Abelium mapping file.'}),
  }

  public async run() {
    const r = await withSummary(
      reconcile(
        {templatesDir: this.templatesDir, signal: this.signal, out: this.out},
        {source: this.args.source, target: this.args.target, mapping: this.flags.mapping, sourceMapping: this.flags['source-mapping']},
      ),
      (v) => this.print(reconcileView(v)),
    )
    this.print(reconcileOkLine(r))
    return r
  }
}
