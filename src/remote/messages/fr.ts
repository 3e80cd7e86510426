/** French texts of src/remote/messages.ts (split by docs/tools/split-messages.mjs). */
import type * as en from './en.js'

export const MESSAGES: Record<keyof typeof en.MESSAGES, string> = {
  pinned: 'Clé épinglée pour {host}:{port} : {type} {fp}',
  replaced: 'Clé de {host}:{port} remplacée : {type} {fp} (avant : {prev})',
  unchanged: '{host}:{port} est déjà épinglé sur {type} {fp} : rien de changé',
  forgotten: 'Clé de {host}:{port} oubliée ({fp}) : les connexions sont refusées tant qu’elle n’est pas de nouveau approuvée',
  toolMissing: 'Outil {tool} absent',
  toolMissingPkg: 'Outil {tool} absent : installez le paquet {pkg}',
  toolMissingAction: 'Installez {tool} et vérifiez qu’il est dans le PATH.',
  toolStartFailed: '{tool} n’a pas pu être lancé ({code})',
  toolStartFailedAction: 'Vérifiez que {tool} est un programme exécutable pour cette machine (droits, architecture), puis relancez.',
  toolFailed: '{tool} a échoué (code de sortie {code})',
  toolFailedAction: 'Lisez le message de {tool} ci-dessus, corrigez sa cause, puis relancez (--verbose en montre plus).',
  toolKilled: '{tool} a été tué par {signal}',
  toolKilledAction: 'Quelque chose a arrêté {tool} (mémoire épuisée, autre processus, arrêt de la machine) : relancez.',
  toolTimeout: '{tool} n’a pas répondu en {ms} ms',
  toolTimeoutAction: 'Vérifiez le périphérique ou la cible ; relancez avec un délai plus long.',
  toolCancelled: '{tool} a été arrêté (annulation)',
  toolBadOutput: '{tool} a affiché autre chose que le JSON attendu',
  toolBadOutputAction: 'Vérifiez la version de {tool} (une version trop ancienne ne sort pas de JSON), puis relancez.',
  none: 'Aucune clé d’hôte épinglée. Épinglez-en une avec : alpi hosts trust HÔTE --fingerprint SHA256:...',
}
