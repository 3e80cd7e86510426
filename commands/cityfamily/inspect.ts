import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {inspectExport} from '../../src/cityfamily/inspect.js'
import {inspectView} from '../../src/cityfamily/format.js'

export class CityfamilyInspect extends BaseCommand<typeof CityfamilyInspect> {
  static override summary = 'Profile an Abelium export: encoding, delimiter, rows, fill rate per column, suspicious values, missing columns'
  static override description = `Reads each file named in the Abelium mapping and changes nothing.\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> cityfamily inspect ./abelium-demo', '<%= config.bin %> cityfamily inspect ./export --json']
  static override args = {dir: Args.string({required: true, description: 'Folder of the Abelium export.'})}
  static override flags = {
    'source-mapping': Flags.string({description: 'Abelium mapping file (default: templates/cityfamily/abelium.mapping.json).'}),
  }

  public async run() {
    const r = await inspectExport(
      {templatesDir: this.templatesDir, signal: this.signal, out: this.out},
      {dir: this.args.dir, sourceMapping: this.flags['source-mapping']},
    )
    this.print(inspectView(r))
    return r
  }
}
