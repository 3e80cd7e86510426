import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {formatEuros} from '../../src/cityfamily/migrate.js'
import {reconcile} from '../../src/cityfamily/reconcile.js'
import {t} from '../../src/cityfamily/messages.js'

export class CityfamilyReconcile extends BaseCommand<typeof CityfamilyReconcile> {
  static override summary = 'Compare an Abelium export with the CityFamily files: members, invoices and balances per household'
  static override description = `Each side is computed on its own (source through the Abelium mapping, target through the CityFamily mapping). Exit 3 when anything differs; the differences are listed.\n\n${EXIT_CODES_HELP}`
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
    const r = await reconcile({templatesDir: this.templatesDir, signal: this.signal, out: this.out}, {source: this.args.source, target: this.args.target, mapping: this.flags.mapping, sourceMapping: this.flags['source-mapping']})
    this.print(t('reconcileOk', {source: r.households.source, target: r.households.target, unpaid: formatEuros(r.totals.target.unpaid)}))
    return r
  }
}
