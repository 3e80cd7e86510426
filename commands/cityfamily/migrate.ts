import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {DEFAULT_THRESHOLD, migrateExport} from '../../src/cityfamily/migrate.js'
import {migrateView, withSummary} from '../../src/cityfamily/format.js'

export class CityfamilyMigrate extends BaseCommand<typeof CityfamilyMigrate> {
  static override summary = 'Turn an Abelium export into CityFamily import files, with a report (HTML in French, JSON)'
  static override description = `Normalises (phones, emails, postal and INSEE codes, names, ISO dates), merges duplicate persons (same birth date, names alike once accents and case are folded; every merge is listed in rapport.html for review), builds households, carries QF, allocataire numbers and balances, and writes the files of the CityFamily mapping (UTF-8, 0600), rapport.html, rapport.json and rejets.tsv. Health data (fiche sanitaire) is not even read without --include-health. Same input, same bytes (set ALPI_NOW for the report's date). The folder --out is replaced as a whole (written aside, swapped in at the end): it holds exactly what the last run produced, and a failed run leaves it as it was; a folder holding files migrate did not write is refused. Exit 3 when rows were rejected (the others are written): the summary is printed all the same, rejets.tsv lists them.\n\n${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> cityfamily migrate ./abelium-demo --out ./cityfamily-demo',
    '<%= config.bin %> cityfamily migrate ./export --out ./cf --mapping ./cityfamily.mapping.json --bom --threshold 0.9',
    '<%= config.bin %> cityfamily migrate ./export --out ./cf --dry-run --json',
  ]
  static override args = {dir: Args.string({required: true, description: 'Folder of the Abelium export.'})}
  static override flags = {
    out: Flags.string({char: 'o', required: true, description: 'Folder for the CityFamily files and the report.'}),
    mapping: Flags.string({description: 'CityFamily mapping file (default: templates/cityfamily/cityfamily.mapping.json).'}),
    'source-mapping': Flags.string({description: 'Abelium mapping file (default: templates/cityfamily/abelium.mapping.json).'}),
    'include-health': Flags.boolean({description: 'Also migrate health records (allergies, PAI, vaccinations): sensitive data.'}),
    'dry-run': Flags.boolean({description: 'Do everything but write: print the report.'}),
    bom: Flags.boolean({description: 'Start each CSV with a UTF-8 byte order mark.'}),
    threshold: Flags.string({
      description: `Name similarity (0-1] needed to merge two persons born the same day (default ${DEFAULT_THRESHOLD}).`,
    }),
  }

  public async run() {
    const ctx = await this.context()
    return withSummary(
      migrateExport(ctx, {
        dir: this.args.dir,
        out: this.flags.out,
        mapping: this.flags.mapping,
        sourceMapping: this.flags['source-mapping'],
        includeHealth: this.flags['include-health'],
        dryRun: this.flags['dry-run'],
        bom: this.flags.bom,
        threshold: this.flags.threshold === undefined ? undefined : Number(this.flags.threshold),
      }),
      (r) => this.print(migrateView(r)),
    )
  }
}
