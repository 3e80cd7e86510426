import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {anonymizeExport} from '../../src/cityfamily/anonymize.js'
import {t} from '../../src/cityfamily/messages/index.js'

export class CityfamilyAnonymize extends BaseCommand<typeof CityfamilyAnonymize> {
  static override summary = 'Make an anonymised copy of an Abelium export (for training or a bug report)'
  static override description = `Same files, headers, ids and amounts; names, addresses, phones, emails and numbers replaced by consistent pseudonyms; every date shifted by the same number of days; health free text removed. Without --secret the pseudonyms cannot be traced back. The folder --out is written whole or not at all (a previous copy there is replaced; a folder holding other files is refused).\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> cityfamily anonymize ./export --out ./export-anonyme']
  static override args = {dir: Args.string({required: true, description: 'Folder of the Abelium export.'})}
  static override flags = {
    out: Flags.string({char: 'o', required: true, description: 'Folder for the anonymised copy.'}),
    secret: Flags.string({description: 'Secret for reproducible pseudonyms (keep it private). Default: random.', env: 'ALPI_ANON_SECRET'}),
    'source-mapping': Flags.string({description: 'Abelium mapping file.'}),
  }

  public async run() {
    const r = await anonymizeExport(
      {templatesDir: this.templatesDir, signal: this.signal, out: this.out},
      {dir: this.args.dir, out: this.flags.out, secret: this.flags.secret, sourceMapping: this.flags['source-mapping']},
    )
    this.print(t('anonymized', {count: r.files.length, out: r.target}))
    return r
  }
}
