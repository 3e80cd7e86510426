import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {validateExport} from '../../src/cityfamily/migrate.js'
import {t} from '../../src/cityfamily/messages/index.js'
import {validateView, withSummary} from '../../src/cityfamily/format.js'

export class CityfamilyValidate extends BaseCommand<typeof CityfamilyValidate> {
  static override summary = 'Check an Abelium export: schema per entity and integrity across files; rejects as TSV'
  static override description = `Each row is checked against the canonical model (dates, amounts, codes, required fields) and across files (a child pointing to no household, a payment allocated to no invoice, duplicate keys). Problems go to a TSV (file, row, field, value, message), by default next to the folder: DIR.rejects.tsv. Nothing else is written.\n\n${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> cityfamily validate ./abelium-demo',
    '<%= config.bin %> cityfamily validate ./export --rejects /tmp/rejects.tsv --json',
  ]
  static override args = {dir: Args.string({required: true, description: 'Folder of the Abelium export.'})}
  static override flags = {
    rejects: Flags.string({description: 'Where to write the rejects TSV (default: DIR.rejects.tsv).'}),
    'source-mapping': Flags.string({description: 'Abelium mapping file (default: templates/cityfamily/abelium.mapping.json).'}),
  }

  public async run() {
    const r = await withSummary(
      validateExport(
        {templatesDir: this.templatesDir, signal: this.signal, out: this.out},
        {dir: this.args.dir, rejectsPath: this.flags.rejects, sourceMapping: this.flags['source-mapping']},
      ),
      (v) => this.print(validateView(v)),
    )
    this.print(t('validateOk'))
    return r
  }
}
