import {defineMessages} from '../core/i18n.js'

/** Messages of the CLI frame itself (campaigns keep their own catalogs). */
export const t = defineMessages({
  en: {
    error: 'Error',
    warning: 'Warning',
    upToDate: 'Up to date.',
    applied: 'Applied: {names}',
    noEntries: 'No entries.',
    backupWritten: 'Backup written: {path} ({bytes} bytes)',
    noTerminal: '{what}: no answer possible without a terminal (or with --no-input / CI)',
    passFlag: 'Pass {flag}.',
    yesToConfirm: '--yes to confirm',
    notConfirmed: 'Not confirmed: nothing was changed',
    confirmMismatch: '--confirm {given} does not match {expected}: nothing was done',
    confirmMismatchAction: 'Pass --confirm {expected} after checking it is the right one.',
    typeToGoOn: 'Type {expected} to go on:',
    typedMismatch: 'The typed value does not match: nothing was done',
    dryRunNoStore: 'no store at {path} yet: the dry run compares with an empty one and creates nothing',
  },
  fr: {
    error: 'Erreur',
    warning: 'Attention',
    upToDate: 'À jour.',
    applied: 'Appliquées : {names}',
    noEntries: 'Aucune entrée.',
    backupWritten: 'Sauvegarde écrite : {path} ({bytes} octets)',
    noTerminal: '{what} : aucune réponse possible sans terminal (ni avec --no-input / CI)',
    passFlag: 'Passez {flag}.',
    yesToConfirm: '--yes pour confirmer',
    notConfirmed: 'Non confirmé : rien n\'a été modifié',
    confirmMismatch: '--confirm {given} ne correspond pas à {expected} : rien n\'a été fait',
    confirmMismatchAction: 'Passez --confirm {expected} après avoir vérifié que c\'est le bon.',
    typeToGoOn: 'Tapez {expected} pour continuer :',
    typedMismatch: 'La valeur tapée ne correspond pas : rien n\'a été fait',
    dryRunNoStore: 'pas encore de base à {path} : l\'essai compare avec une base vide et ne crée rien',
  },
})
