import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {setConfigValue, type SectionSchemas} from '../../src/core/config-service.js'
import {UsageError} from '../../src/core/errors.js'
import {coreMessages} from '../../src/core/messages/index.js'
import {FirewallsConfigSchema} from '../../src/firewalls/config.js'
import {LaptopsConfigSchema} from '../../src/laptops/config.js'
import {Win7ConfigSchema} from '../../src/win7/config.js'

/** The schemas that read each campaign's section: a key or value none of them accepts is refused. */
const SECTIONS: SectionSchemas = {
  laptops: [LaptopsConfigSchema],
  firewalls: [FirewallsConfigSchema],
  win7: [Win7ConfigSchema],
}

export class ConfigSet extends BaseCommand<typeof ConfigSet> {
  static override summary = 'Change one setting in the config file (XDG, 0600)'
  static override description = `The key and the value are checked against the settings each campaign reads: an unknown key or a value out of range is refused (exit 2) with the keys or the range accepted, and the file is left as it was.

Settings: technician, organisation, lang (fr or en), db; laptops.organisation, laptops.grading.* (batteryMinHealthPct 0-100, batteryRequired, maxReallocated, maxPending, maxOfflineUncorrectable, nvmeMaxPercentageUsed 0-255, nvmeMaxMediaErrors, minRamGiB, minDiskGB, scrapWhenPartsAtLeast); firewalls.sshUser, identity, knownHosts, concurrency (1-200), department, addressing.*, listMaxAgeDays, outsideDns, allowedDomain, verifyEveryDays, verifySamples (1-100); win7.domain, ou, joinAccount, namingRule, usmtStore, usmtDir, software.`
  static override examples = [
    '<%= config.bin %> config set technician "J. Dupont"',
    '<%= config.bin %> config set laptops.grading.batteryMinHealthPct 60',
    '<%= config.bin %> config set firewalls.concurrency 20',
    '<%= config.bin %> config set db --unset',
  ]
  static override args = {
    key: Args.string({required: true, description: 'Dotted key (laptops.grading.batteryMinHealthPct).'}),
    value: Args.string({description: 'Value (JSON numbers, booleans and arrays are parsed).'}),
  }
  static override flags = {unset: Flags.boolean({description: 'Remove the key.'})}

  public async run() {
    if (this.args.value === undefined && !this.flags.unset) throw new UsageError(coreMessages.core.m('configValueNeeded'))
    const r = setConfigValue(this.args.key, this.flags.unset ? undefined : this.args.value, SECTIONS)
    this.print(coreMessages.core(r.value === undefined ? 'configRemoved' : 'configSet', {key: r.key, path: r.path}))
    return r
  }
}
