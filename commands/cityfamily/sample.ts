import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {generateSample} from '../../src/cityfamily/sample.js'
import {t} from '../../src/cityfamily/messages/index.js'

export class CityfamilySample extends BaseCommand<typeof CityfamilySample> {
  static override summary = 'Write a synthetic Abelium export (generated people only) for demos, tests and benchmarks'
  static override description = `Windows-1252, ';', CRLF, dd/mm/yyyy, decimal commas, one file per entity, with recomposed households, shared custody, planted duplicates (accents, case, typo), missing fields, orphans, QF history, unpaid balances and RPE childminders. Deterministic for a seed. What was planted is in DIR/.sample_truth.json. The folder --out is written whole or not at all (a previous sample there is replaced; a folder holding other files is refused).

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> cityfamily sample --families 200 --seed 1 --out ./abelium-demo',
    '<%= config.bin %> cityfamily sample --families 100000 --out /tmp/big --clean',
  ]
  static override flags = {
    families: integer({description: 'Number of households.', default: 200, min: 1, max: 1_000_000}),
    seed: integer({description: 'Seed of the generator (same seed, same bytes).', default: 1, min: 0, max: 2_147_483_647}),
    out: Flags.string({char: 'o', required: true, description: 'Folder to write the export to.'}),
    clean: Flags.boolean({description: 'No orphans and no invalid values (duplicates and missing optional fields are still planted).'}),
  }

  public async run() {
    const truth = await generateSample({
      families: this.flags.families,
      seed: this.flags.seed,
      out: this.flags.out,
      clean: this.flags.clean,
      templatesDir: this.templatesDir,
    })
    const rows = Object.values(truth.rows).reduce((a, b) => a + (b ?? 0), 0)
    this.print(
      t('sampleDone', {
        out: this.flags.out,
        families: truth.families,
        rows,
        duplicates: truth.duplicates.length,
        orphans: truth.orphans.childrenWithoutHousehold.length + truth.orphans.allocationsWithoutInvoice,
      }),
    )
    return {out: this.flags.out, ...truth}
  }
}
