import {defineMessages} from '../core/i18n.js'

/** CLI lines of the remote module (hosts commands). */
export const t = defineMessages({
  en: {
    pinned: 'Pinned {host}:{port} {type} {fp}',
    replaced: 'Replaced the key of {host}:{port}: now {type} {fp} (was {prev})',
    unchanged: '{host}:{port} already pinned to {type} {fp}: nothing changed',
    forgotten: 'Forgot the key of {host}:{port} ({fp}): connections to it are refused until it is trusted again',
    none: 'No pinned host keys. Pin one with: alpi hosts trust HOST --fingerprint SHA256:...',
  },
  fr: {
    pinned: 'Clé épinglée pour {host}:{port} : {type} {fp}',
    replaced: 'Clé de {host}:{port} remplacée : {type} {fp} (avant : {prev})',
    unchanged: '{host}:{port} est déjà épinglé sur {type} {fp} : rien de changé',
    forgotten: 'Clé de {host}:{port} oubliée ({fp}) : les connexions sont refusées tant qu’elle n’est pas de nouveau approuvée',
    none: 'Aucune clé d’hôte épinglée. Épinglez-en une avec : alpi hosts trust HÔTE --fingerprint SHA256:...',
  },
})
