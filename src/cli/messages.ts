import {defineMessages} from '../core/i18n.js'

/** Messages of the CLI frame itself (campaigns keep their own catalogs). */
export const t = defineMessages({
  en: {
    error: 'Error',
    warning: 'Warning',
    upToDate: 'Up to date.',
    applied: 'Applied: {names}',
    auditIntact: 'Audit journal intact: {n} entries.',
    noEntries: 'No entries.',
    backupWritten: 'Backup written: {path} ({bytes} bytes)',
  },
  fr: {
    error: 'Erreur',
    warning: 'Attention',
    upToDate: 'À jour.',
    applied: 'Appliquées : {names}',
    auditIntact: "Journal d'audit intact : {n} entrées.",
    noEntries: 'Aucune entrée.',
    backupWritten: 'Sauvegarde écrite : {path} ({bytes} octets)',
  },
})
