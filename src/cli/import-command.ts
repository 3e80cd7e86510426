import type {Command, Interfaces} from '@oclif/core'
import type {ServiceContext} from '../context/service-context.js'
import {importSummaryLine} from '../csv/summary.js'
import type {ImportFileOptions, ImportResult} from '../csv/import.js'
import {BaseCommand} from './base-command.js'
import {importArgs, importFlags} from './import-flags.js'

/**
 * Every CSV import command (`alpi laptops import`, `alpi win7 inventory import`...): the FILE
 * argument and the import flags (import-flags.ts, one help text), one service call that takes
 * them as `ImportFileOptions`, and the summary line on stdout, on a clean run and before an exit 3
 * (rows rejected; see BaseCommand.summarised). `--json`, the rejects file and --dry-run are the
 * service's (importCsv) and BaseCommand's. A subclass gives its help, calls its service in
 * `importFile`, and overrides `view` when its summary says more than the plain import line.
 */
export abstract class ImportCommand<T extends typeof Command, R extends ImportResult = ImportResult> extends BaseCommand<T> {
  static override args = importArgs
  static override flags = importFlags

  /** The campaign's import service, called with the file and the import flags. */
  protected abstract importFile(ctx: ServiceContext, options: ImportFileOptions): Promise<R>

  /** The summary on stdout: "FILE: 8 rows read, 2 new, 0 updated, 1 unchanged, 5 rejected". */
  protected view(result: R, _ctx: ServiceContext): string {
    return importSummaryLine(result)
  }

  public async run(): Promise<R> {
    const ctx = await this.context()
    const {file} = this.args as Interfaces.InferredArgs<typeof importArgs>
    const flags = this.flags as Interfaces.InferredFlags<typeof importFlags>
    const options = {file, rejectsPath: flags.rejects, repairEncoding: flags['repair-encoding'], dryRun: flags['dry-run']}
    return this.summarised(this.importFile(ctx, options), (result) => this.view(result, ctx))
  }
}
