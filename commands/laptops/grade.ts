import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {askChoice} from '../../src/cli/prompt.js'
import {gradeLaptop} from '../../src/laptops/grade.js'
import {COSMETIC_GRADES} from '../../src/laptops/models.js'

export class LaptopsGrade extends BaseCommand<typeof LaptopsGrade> {
  static override summary = 'Verdict from the stored probe snapshot and the cosmetic grade: ready, needs part, or scrap'
  static override description = `Thresholds come from the config (alpi config set laptops.grading.batteryMinHealthPct 60, ...):
battery health, SMART 5/197/198, NVMe critical warning, spare, wear and media errors, RAM, disk size.
The cosmetic grade (A, B, C) is asked at the bench, or given with --cosmetic.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops grade PF1ABCDE --cosmetic B']
  static override args = {serial: Args.string({description: 'Laptop serial', required: true})}
  static override flags = {cosmetic: Flags.string({description: 'Cosmetic grade', options: [...COSMETIC_GRADES, 'a', 'b', 'c']})}

  public async run() {
    const cosmetic = this.flags.cosmetic ?? (await askChoice(this.guard, 'Cosmetic grade (A like new, B light wear, C marked)?', '--cosmetic A|B|C', COSMETIC_GRADES))
    const r = await gradeLaptop(await this.context(), {serial: this.args.serial, cosmetic})
    this.print(`${r.serial}: ${r.verdict.toUpperCase()} (cosmetic ${r.cosmetic}) -> ${r.state}`)
    for (const f of r.findings) this.print(`  ${f.part}: ${f.reason}`)
    return r
  }
}
