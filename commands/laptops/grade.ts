import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {askChoice} from '../../src/cli/prompt.js'
import {UsageError} from '../../src/core/errors.js'
import {gradeLaptop, gradeSheet} from '../../src/laptops/grade.js'
import {msg, stateName, t} from '../../src/laptops/messages.js'
import {COSMETIC_GRADES} from '../../src/laptops/models.js'

export class LaptopsGrade extends BaseCommand<typeof LaptopsGrade> {
  static override summary = 'Verdict from the stored probe snapshot and the cosmetic grade: ready, needs part, or scrap'
  static override description = `Thresholds come from the config (alpi config set laptops.grading.batteryMinHealthPct 60, ...):
battery health, SMART 5/197/198, NVMe critical warning, spare, wear and media errors, RAM, disk size.
The cosmetic grade (A, B, C) is asked at the bench, or given with --cosmetic.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops grade PF1ABCDE --cosmetic B', '<%= config.bin %> laptops grade --sheet fiche-atelier.csv']
  static override args = {serial: Args.string({description: 'Laptop serial'})}
  static override flags = {
    cosmetic: Flags.string({description: 'Cosmetic grade', options: [...COSMETIC_GRADES, 'a', 'b', 'c']}),
    sheet: Flags.string({description: 'Grade many: a CSV bench sheet (serial; cosmetic grade)', exclusive: ['cosmetic']}),
  }

  public async run() {
    if (this.flags.sheet) {
      const r = await gradeSheet(await this.context(), {file: this.flags.sheet})
      this.print(t('gradedSheet', {n: r.updated, ready: r.verdicts.ready, needs: r.verdicts.needs_part, scrap: r.verdicts.scrap}))
      return r
    }
    if (!this.args.serial) throw new UsageError(msg('gradeMissing'), {actions: ['alpi laptops grade PF1ABCDE --cosmetic B']})
    const cosmetic = this.flags.cosmetic ?? (await askChoice(this.guard, t('cosmeticPrompt'), '--cosmetic A|B|C', COSMETIC_GRADES))
    const r = await gradeLaptop(await this.context(), {serial: this.args.serial, cosmetic})
    this.print(t('graded', {serial: r.serial, verdict: r.verdict.toUpperCase(), cosmetic: r.cosmetic, state: stateName(r.state)}))
    for (const f of r.findings) this.print(`  ${f.part}: ${f.reason}`)
    return r
  }
}
