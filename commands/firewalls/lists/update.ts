import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {integer} from '../../../src/cli/flags.js'
import {confirmAction} from '../../../src/cli/prompt.js'
import {deploySchools} from '../../../src/firewalls/deploy.js'
import {listsUpdateView, pushedLine} from '../../../src/firewalls/format.js'
import {updateLists} from '../../../src/firewalls/lists.js'
import {t} from '../../../src/firewalls/messages/index.js'

export class FirewallsListsUpdate extends BaseCommand<typeof FirewallsListsUpdate> {
  static override summary = 'Load filtering lists in UT1 format as a new list version, and optionally push them to every box'
  static override description = `--from is the unpacked UT1 folder (one folder per category with a "domains" file) or blacklists.tar.gz
(https://dsi.ut-capitole.fr/blacklists/download/blacklists.tar.gz; download outside 08:00-19:00 GMT please).
Loaded categories: --category, else every category the register's schools or their profiles block.
The categories read are merged into the latest list version: they replace theirs, and every other category
of that version is kept unchanged with its own load date (a category is never dropped from the lists), so
\`--category malware\` refreshes malware and leaves adult and gambling as they were.
Whitelist-mode schools take no list. Lines that are not domain names are skipped and counted.
--push deploys the new version with the same safe apply as \`alpi firewalls deploy --all\`.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> firewalls lists update --from ./blacklists',
    '<%= config.bin %> firewalls lists update --from blacklists.tar.gz --push --yes',
  ]
  static override flags = {
    from: Flags.string({description: 'UT1 folder or .tar.gz', required: true}),
    category: Flags.string({description: 'Load only this category; repeatable', multiple: true}),
    push: Flags.boolean({description: 'Deploy to every school box afterwards (safe apply)'}),
    concurrency: integer({description: 'Boxes in parallel when pushing', min: 1, max: 200}),
    identity: Flags.string({char: 'i', description: 'SSH private key file for the boxes'}),
  }

  public async run() {
    const ctx = await this.context()
    if (this.flags.push) await confirmAction(this.guard, t('confirmListsPush'))
    const r = await updateLists(ctx, {from: this.flags.from, categories: this.flags.category})
    this.print(listsUpdateView(r))
    if (!this.flags.push) return r
    // a box that fails (exit 4) does not hide the push's counts
    const push = await this.summarised(
      deploySchools(ctx, {all: true, concurrency: this.flags.concurrency, ssh: {identity: this.flags.identity}}),
      pushedLine,
    )
    return {...r, push}
  }
}
