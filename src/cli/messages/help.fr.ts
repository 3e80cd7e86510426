/**
 * French help: command summaries (and descriptions where given) keyed by command id, topic
 * descriptions, and the global flags. English stays in the command classes; a command missing
 * here shows its English summary (test/unit/cli/help.test.ts lists what is covered).
 */
export const COMMANDS_FR: Record<string, {summary: string; description?: string}> = {
  'db:backup': {summary: "Faire une copie cohérente de la base pendant que d'autres l'utilisent"},
  'db:migrate': {summary: 'Appliquer les migrations en attente à la base'},
  'db:status': {summary: 'Montrer où est la base, ses migrations et le nombre de lignes'},
  'audit:anchor': {summary: "Exporter la tête de la chaîne d'audit, signée, à garder hors de la base"},
  'audit:list': {summary: "Lister les entrées du journal d'audit (qui, quand, quoi, résultat)"},
  'audit:verify': {summary: "Vérifier la chaîne d'empreintes du journal d'audit : détecte les entrées modifiées, supprimées ou tronquées"},
  'hosts:forget': {
    summary: "Oublier la clé d'hôte SSH épinglée d'une machine (les connexions sont refusées jusqu'à une nouvelle confiance)",
  },
  'hosts:list': {summary: "Lister les clés d'hôte SSH épinglées"},
  'hosts:trust': {summary: "Épingler la clé d'hôte SSH d'une machine (alpi refuse les clés inconnues et changées)"},
  'config:get': {summary: 'Montrer un réglage, ou tous'},
  'config:path': {summary: 'Montrer où sont le fichier de réglages et la base par défaut'},
  'config:set': {summary: 'Changer un réglage dans le fichier de réglages (XDG, 0600)'},
  doctor: {summary: 'Vérifier ce poste : environnement, base, outils de chaque campagne, réglages, horloge et langue'},
}

export const TOPICS_FR: Record<string, string> = {
  db: 'La base : migrations, état, sauvegardes',
  audit: "Le journal d'audit : lister et vérifier la chaîne d'empreintes",
  config: 'Réglages du technicien (fichier de configuration XDG)',
  hosts: "Clés d'hôte SSH épinglées",
  laptops: "Reconditionner des ordinateurs donnés et les remettre par les lieux d'inclusion numérique",
  firewalls: 'Déployer et prouver les boîtiers de filtrage des écoles primaires',
  cityfamily: "Migrer les données enfance-jeunesse d'Abelium vers CityFamily",
  win7: 'Préparer le remplacement des vieux PC Windows des sites adhérents',
}

export const FLAGS_FR: Record<string, string> = {
  'no-input': 'Ne jamais poser de question ; une valeur manquante est une erreur qui nomme son option.',
  yes: 'Répondre oui aux confirmations (pas aux graves, qui demandent --confirm).',
  verbose: "Plus de détails sur stderr ; la pile des appels en cas d'erreur.",
  'no-color': "Pas de couleur (de même avec NO_COLOR ou hors d'un terminal).",
  lang: 'Langue des messages (par défaut : celle de LANG).',
  db: "Base : chemin d'un fichier SQLite ou URL postgres:// (par défaut : dossier de données XDG).",
  json: 'Sortie au format JSON.',
}
