/** French texts of src/core/messages.ts (split by docs/tools/split-messages.mjs). */
import type * as en from './en.js'

export const MESSAGES: Record<keyof typeof en.MESSAGES, string> = {
  journalMissing: 'la ou les tables du journal {tables} manquent dans la base : elles ont été supprimées',
  gap: 'les entrées {from}..{to} manquent',
  brokenLink: "l'empreinte précédente ne correspond pas à l'entrée d'avant",
  hashMismatch: "l'entrée a été modifiée après son écriture",
  headCut: "le journal devrait finir à l'entrée {head}, il finit à {last} : des entrées ont été retirées de sa fin",
  headMissing: 'la tête de la chaîne manque',
  journalEmpty: 'le journal est vide mais la base contient des données (table {table}) : le journal a été supprimé',
  journalYounger: 'le journal commence le {first} mais {table} contient des lignes créées le {created} : le début du journal a été supprimé',
  anchorMissing: "la tête enregistrée {hash} n'est pas dans le journal : il a été tronqué ou réécrit après l'enregistrement de cette tête",
  anchorMissingAt: "la tête enregistrée {hash} (entrée {seq}) n'est pas dans le journal : il a été tronqué ou réécrit après l'enregistrement de cette tête",
  tampered: "Le journal d'audit n'est pas intact : {n} problème(s), le premier à l'entrée {seq} ({detail})",
  tamperedAction: 'Restaurez la base depuis une sauvegarde (alpi db backup) et comparez ; signalez l\'incident au DPO/RSSI.',
  intact: "Journal d'audit intact : {n} entrées.",
  anchored: "Tête enregistrée trouvée à l'entrée {seq} : rien n'a été retiré ni réécrit avant elle.",
  anchorWritten: 'Ancre écrite : {path} (entrée {seq}, tête {hash}, clé {fingerprint}). Gardez-la hors de la base (envoyez-la, imprimez-la, rangez-la avec les sauvegardes).',
  anchorUnreadable: "{path} n'est pas une ancre du journal d'audit alpi : {detail}",
  anchorUnreadableAction: 'Donnez le fichier écrit par `alpi audit anchor --out FICHIER`.',
  anchorBadSignature: "L'ancre {path} ne correspond pas à sa signature : elle a été modifiée après son écriture",
  anchorBadSignatureAction: "Utilisez la copie de l'ancre gardée ailleurs (celle envoyée ou imprimée), et signalez l'incident au DPO/RSSI.",
  anchorOtherKey: "l'ancre {path} a été signée par la clé {fingerprint}, pas par celle de ce poste ({local}) : comparez l'empreinte avec celle notée avec l'ancre",
  badHead: "--expect-head {hash} n'est pas une tête : donnez les 64 caractères hexadécimaux affichés par `alpi audit verify`",
}
