import {defineMessages} from '../core/i18n.js'

/** Messages of the win7 campaign (stderr and errors), French and English. */
export const t = defineMessages({
  en: {
    'transition.refused': 'PC {serial} is "{from}": it cannot become "{to}" (it must be "{need}" first)',
    'transition.terminal': 'PC {serial} is "{from}", the end of its pipeline: it cannot become "{to}"',
    'transition.terminalAction': 'Nothing more to do for this PC; see `alpi win7 status`.',
    'transition.first': 'First: {action}',
    'pc.unknown': 'No PC with serial {serial}',
    'member.unknown': 'No member {member}',
    'import.done': '{file}: {rows} rows, {inserted} new, {updated} updated, {unchanged} unchanged',
    'assess.done': '{total} PCs assessed: {upgrade} upgrade in place, {replace} to replace, {unknown} unknown',
    'order.blocked': 'Line for PC {serial}: category "{category}" is blocked by {rule} on {date}; proposing {alternative}',
    'stage.deleteAfterUse': 'Delete after use (it holds the join password): {path}',
    'stage.step': 'step {step}: {status}',
  },
  fr: {
    'transition.refused': 'Le PC {serial} est « {from} » : il ne peut pas passer à « {to} » (il doit d\'abord être « {need} »)',
    'transition.terminal': 'Le PC {serial} est « {from} », fin de son parcours : il ne peut pas passer à « {to} »',
    'transition.terminalAction': 'Plus rien à faire pour ce PC ; voir `alpi win7 status`.',
    'transition.first': 'D\'abord : {action}',
    'pc.unknown': 'Aucun PC de numéro de série {serial}',
    'member.unknown': 'Aucun adhérent {member}',
    'import.done': '{file} : {rows} lignes, {inserted} nouvelles, {updated} mises à jour, {unchanged} inchangées',
    'assess.done': '{total} PC évalués : {upgrade} mise à niveau sur place, {replace} à remplacer, {unknown} inconnus',
    'order.blocked': 'Ligne du PC {serial} : la catégorie « {category} » est bloquée par {rule} le {date} ; proposition : {alternative}',
    'stage.deleteAfterUse': 'À supprimer après usage (contient le mot de passe de jonction) : {path}',
    'stage.step': 'étape {step} : {status}',
  },
})
