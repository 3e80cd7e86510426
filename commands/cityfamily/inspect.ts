import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {formatTable} from '../../src/cli/table.js'
import {inspectExport} from '../../src/cityfamily/inspect.js'
import {t} from '../../src/cityfamily/messages/index.js'

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
    this.print(
      formatTable(
        r.files.map((f) => ({
          file: f.file,
          present: f.present ? t('yes') : t('missing'),
          encoding: f.encoding ?? '',
          delimiter: f.delimiter === '\t' ? t('tab') : (f.delimiter ?? ''),
          rows: f.rows,
          ragged: f.raggedRows,
          suspicious: f.columns.reduce((a, c) => a + c.suspicious, 0),
          missing: f.missingColumns.join(', '),
        })),
        [
          {key: 'file', header: t('h.file')},
          {key: 'present', header: t('h.present')},
          {key: 'encoding', header: t('h.encoding')},
          {key: 'delimiter', header: t('h.sep')},
          {key: 'rows', header: t('h.rows')},
          {key: 'ragged', header: t('h.ragged')},
          {key: 'suspicious', header: t('h.suspicious')},
          {key: 'missing', header: t('h.missingColumns')},
        ],
      ),
    )
    for (const f of r.files) {
      const odd = f.columns.filter((c) => c.suspicious > 0 || c.field === null || c.fillRate < 0.5)
      if (odd.length === 0) continue
      this.print(`\n${f.file}`)
      this.print(
        formatTable(
          odd.map((c) => ({
            header: c.header,
            field: c.field ?? t('notMappedColumn'),
            fill: `${Math.round(c.fillRate * 100)}%`,
            suspicious: c.suspicious,
            examples: c.examples.map((e) => t('exampleLine', {row: e.row, message: e.message})).join('; '),
          })),
          [
            {key: 'header', header: t('h.column')},
            {key: 'field', header: t('h.field')},
            {key: 'fill', header: t('h.filled')},
            {key: 'suspicious', header: t('h.suspicious')},
            {key: 'examples', header: t('h.examples')},
          ],
        ),
      )
    }
    if (r.unknownFiles.length > 0) this.print('\n' + t('notMapped', {list: r.unknownFiles.join(', ')}))
    return r
  }
}
