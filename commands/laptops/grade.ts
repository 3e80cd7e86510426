import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {askChoice} from '../../src/cli/prompt.js'
import {UsageError} from '../../src/core/errors.js'
import {gradeLaptop, gradeSheet} from '../../src/laptops/grade.js'
import {msg, reasonLine, stateName, t} from '../../src/laptops/messages/index.js'
import {COSMETIC_GRADES} from '../../src/laptops/model.js'
import {gradeSheetSummary} from '../../src/laptops/format.js'

export class LaptopsGrade extends BaseCommand<typeof LaptopsGrade> {
  static override summary = 'Verdict from the stored probe snapshot and the cosmetic grade: ready, needs part, or scrap'
  static override description = `Thresholds come from the config (alpi config set laptops.grading.batteryMinHealthPct 60, ...):
battery health, SMART 5/197/198, NVMe critical warning, spare, wear and media errors, RAM, disk size.
The cosmetic grade (A, B, C) is asked at the bench, or given with --cosmetic.

A bench sheet (--sheet FILE: serial; cosmetic grade) is checked row by row like one grade: an
unknown serial, a laptop not probed yet, or one whose lifecycle refuses a grade (wiped, ready,
scrapped...) goes to the rejects file with its row number and reason (exit 3); the others are
graded in one transaction. A laptop diagnosed or on hold is graded again (its verdict replaced).

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops grade PF1ABCDE --cosmetic B',
    '<%= config.bin %> laptops grade --sheet fiche-atelier.csv',
  ]
  static override args = {serial: Args.string({description: 'Laptop serial'})}
  static override flags = {
    cosmetic: Flags.string({description: 'Cosmetic grade', options: [...COSMETIC_GRADES, 'a', 'b', 'c']}),
    sheet: Flags.string({
      description: 'Grade many: a CSV bench sheet (serial; cosmetic grade), or - for standard input',
      exclusive: ['cosmetic'],
    }),
    rejects: Flags.string({
      description: 'With --sheet: where to write the refused rows (default: next to the sheet)',
      dependsOn: ['sheet'],
    }),
    'dry-run': Flags.boolean({
      description: 'With --sheet: check every row and write the rejects file, grade nothing',
      dependsOn: ['sheet'],
    }),
    'repair-encoding': Flags.boolean({
      description:
        'With --sheet: read the rows of a UTF-8 sheet that are not UTF-8 as Windows-1252 (and say which) instead of rejecting them',
      dependsOn: ['sheet'],
    }),
  }

  public async run() {
    if (this.flags.sheet)
      return this.summarised(
        gradeSheet(await this.context(), {
          file: this.flags.sheet,
          rejectsPath: this.flags.rejects,
          repairEncoding: this.flags['repair-encoding'],
          dryRun: this.flags['dry-run'],
        }),
        gradeSheetSummary,
      )
    if (!this.args.serial) throw new UsageError(msg('gradeMissing'), {actions: ['alpi laptops grade PF1ABCDE --cosmetic B']})
    const cosmetic = this.flags.cosmetic ?? (await askChoice(this.guard, t('cosmeticPrompt'), '--cosmetic A|B|C', COSMETIC_GRADES))
    const r = await gradeLaptop(await this.context(), {serial: this.args.serial, cosmetic})
    this.print(t('graded', {serial: r.serial, verdict: r.verdict.toUpperCase(), cosmetic: r.cosmetic, state: stateName(r.state)}))
    for (const f of r.findings) this.print(reasonLine(f))
    return r
  }
}
