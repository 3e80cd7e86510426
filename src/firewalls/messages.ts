import {defineMessages} from '../core/i18n.js'

/** Messages of the firewalls campaign (documents for people are French templates). */
export const t = defineMessages({
  en: {
    imported: '{file}: {rows} row(s), {inserted} new, {updated} updated, {unchanged} unchanged, {rejected} rejected',
    noSchools: 'No school in the register: import them with `alpi firewalls schools import FILE`.',
    planOk: '{count} school(s) planned: {changed} to deploy, {same} up to date, {problems} with problems',
    deployDone: '{ok} school(s) deployed, {failed} failed, {skipped} already done',
    dryRun: 'Dry run: nothing was sent to the boxes.',
  },
  fr: {
    imported: '{file} : {rows} ligne(s), {inserted} nouvelle(s), {updated} modifiée(s), {unchanged} inchangée(s), {rejected} rejetée(s)',
    noSchools: 'Aucune école dans le registre : importez-les avec `alpi firewalls schools import FICHIER`.',
    planOk: '{count} école(s) planifiée(s) : {changed} à déployer, {same} à jour, {problems} en erreur',
    deployDone: '{ok} école(s) déployée(s), {failed} en échec, {skipped} déjà faite(s)',
    dryRun: 'Essai à blanc : rien n’a été envoyé aux boîtiers.',
  },
})
