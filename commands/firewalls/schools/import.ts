import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {importArgs, importFlags} from '../../../src/cli/import-flags.js'
import {t} from '../../../src/firewalls/messages.js'
import {importSchools} from '../../../src/firewalls/schools.js'

export class FirewallsSchoolsImport extends BaseCommand<typeof FirewallsSchoolsImport> {
  static override summary = 'Import the school register from a CSV file (upsert by UAI)'
  static override description = `Columns (French or English headers): UAI, nom, code INSEE, type autorité (commune|epci),
autorité, mode WAN (dhcp|static|pppoe), adresse WAN (a.b.c.d/nn), passerelle WAN, réseau LAN (a.b.c.d/nn),
passerelle LAN (the box's LAN address), début DHCP, fin DHCP, VPN, numéro de série, adresse administration,
port administration, utilisateur administration, profil (default debian-dnsmasq), surcharges (JSON).
The UAI's check letter is verified; the box address and DHCP range must be inside the LAN.
Rejected rows go to the rejects file with their reasons; the others are kept. A re-run changes nothing.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> firewalls schools import ecoles.csv', '<%= config.bin %> firewalls schools import - --json < ecoles.csv']
  static override args = importArgs
  static override flags = importFlags

  public async run() {
    const ctx = await this.context()
    const r = await importSchools(ctx, {file: this.args.file, rejectsPath: this.flags.rejects, repairEncoding: this.flags['repair-encoding'], dryRun: this.flags['dry-run']})
    this.print(t('imported', {file: r.file, rows: r.rows, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected}))
    return r
  }
}
