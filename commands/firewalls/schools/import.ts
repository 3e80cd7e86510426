import {EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {ImportCommand} from '../../../src/cli/import-command.js'
import type {ServiceContext} from '../../../src/context/service-context.js'
import type {ImportFileOptions} from '../../../src/csv/index.js'
import {outOfScopeLine} from '../../../src/firewalls/format.js'
import {registerConfig} from '../../../src/firewalls/config.js'
import {importSchools, type RegisterImportResult} from '../../../src/firewalls/register.js'
import {overridesSchema} from '../../../src/firewalls/model.js'

/** The keys a school's overrides accept, from their schema (one source for the help and the check). */
const OVERRIDE_KEYS = Object.keys(overridesSchema().shape).join(', ')

export class FirewallsSchoolsImport extends ImportCommand<typeof FirewallsSchoolsImport, RegisterImportResult> {
  static override summary = 'Import schools from the national directory or a school list (upsert by UAI; ALPI derives the network plan)'
  static override description = `The layout is recognised by the header, no flag:
- The Ministry's national directory ("Annuaire de l'éducation" open-data CSV, ;): only the public écoles
  (maternelles, élémentaires, primaires) of the department (firewalls.department, default 040) are kept; the
  other rows are counted as left aside. Columns used: Identifiant_de_l_etablissement, Nom_etablissement,
  Type_etablissement, Statut_public_prive, Code_commune, Nom_commune, Code_departement, Adresse_1, Code_postal.
- A school list (an authority's, or ALPI's own register): UAI, "Nom de l'école", "Commune" and/or "Code INSEE",
  optionally "Autorité compétente" / "Collectivité", "Type autorité" (commune|epci), "Réseau LAN" / "Plan
  d'adressage", and ALPI's columns: passerelle LAN, début/fin DHCP, mode WAN, adresse/passerelle WAN, VPN,
  numéro de série, adresse/port/utilisateur administration, profil, surcharges (JSON).
- The overrides ("surcharges") of a school, a JSON object with these keys only: ${OVERRIDE_KEYS}.
What a list does not give is derived (see \`alpi firewalls schools show UAI\`): the LAN allocated once from
firewalls.addressing.pool (default 10.40.0.0/15, one /24 per school, first free in UAI order, then kept), the
box address (.1) and DHCP range (.100-.199) from the LAN, the WAN mode from the profile, the authority from the
commune, its kind from its name ("Commune de ...", "Communauté de communes ...", "CC ...": else give "Type
autorité"). A re-import keeps what ALPI added: columns the file lacks keep their stored values.
The UAI's check letter is verified. Rejected rows go to the rejects file with their reasons; the others are
kept (exit 3). A re-run changes nothing.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> firewalls schools import fr-en-annuaire-education.csv',
    '<%= config.bin %> firewalls schools import ecoles-communaute.csv',
    '<%= config.bin %> firewalls schools import - --json < ecoles.csv',
  ]

  protected importFile(ctx: ServiceContext, options: ImportFileOptions) {
    return importSchools(ctx, options)
  }

  /** The rows left aside (other departments, private schools...) on stderr, then the summary line. */
  protected override view(r: RegisterImportResult, ctx: ServiceContext): string {
    const aside = outOfScopeLine(r, registerConfig(ctx).department)
    if (aside) this.out.info(aside)
    return super.view(r, ctx)
  }
}
