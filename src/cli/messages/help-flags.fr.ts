/**
 * French help of the flags and arguments, keyed by name: a flag that means the same in every
 * command that has it (the global flags, the import flags, --reason...) has its French once in
 * FLAGS_FR / ARGS_FR, wherever its definition lives. A flag whose English differs from one
 * command to another has its French by command id in COMMAND_FLAGS_FR, which wins over the
 * shared text. Every flag and argument of every command has its French here, and a shared text
 * is only used by commands whose English is the same (test/unit/cli/help.test.ts fails otherwise).
 */
export const FLAGS_FR: Record<string, string> = {
  // the global flags (src/cli/base-command.ts)
  'no-input': 'Ne jamais poser de question ; une valeur manquante est une erreur qui nomme son option.',
  yes: 'Répondre oui aux confirmations (pas aux graves, qui demandent --confirm).',
  verbose: "Plus de détails sur stderr ; la pile des appels en cas d'erreur.",
  'no-color': "Pas de couleur (de même avec NO_COLOR ou hors d'un terminal).",
  lang: 'Langue des messages (par défaut : celle de LANG).',
  db: "Base : chemin d'un fichier SQLite ou URL postgres:// (par défaut : dossier de données XDG).",
  json: 'Sortie au format JSON.',

  // the import flags (src/cli/import-flags.ts)
  rejects: 'Où écrire les lignes rejetées (par défaut : à côté du fichier)',
  'dry-run': 'Contrôler les lignes et écrire le fichier des rejets, sans rien modifier',
  'repair-encoding':
    'Dans un fichier UTF-8, lire comme du Windows-1252 les lignes qui ne sont pas en UTF-8 (listées dans un avertissement) au lieu de les rejeter',

  // store, audit, hosts, config, doctor
  campaign: 'Seulement les outils de ces campagnes (par défaut : toutes)',
  entity: "Seulement ce type d'entité (laptop, school, import, fleet...).",
  id: "Seulement cet identifiant d'entité (un numéro de série, un UAI...).",
  'expect-head': 'Une tête enregistrée plus tôt (affichée par audit verify) : elle doit toujours être dans la chaîne.',
  anchor: "Un fichier d'ancrage écrit par `alpi audit anchor` : sa signature est vérifiée et sa tête doit toujours être dans la chaîne.",
  host: 'Seulement cet hôte',
  port: 'Port SSH',
  fingerprint: "Empreinte SHA256 attendue (telle que l'affiche ssh-keygen -lf) : la clé n'est enregistrée que si elle correspond",
  'public-key-file': 'Épingler cette clé publique (fichier .pub) sans se connecter',
  timeout: 'Délai de connexion en secondes',
  unset: 'Supprimer la clé.',

  // cityfamily
  secret: 'Secret des pseudonymes reproductibles (gardez-le pour vous). Par défaut : aléatoire.',
  'source-mapping': 'Fichier de mapping Abelium (par défaut : templates/cityfamily/abelium.mapping.json).',
  mapping: 'Fichier de mapping CityFamily (par défaut : templates/cityfamily/cityfamily.mapping.json).',
  'include-health': 'Migrer aussi les données de santé (allergies, PAI, vaccinations) : données sensibles.',
  bom: "Commencer chaque CSV par l'indicateur d'ordre des octets (BOM) UTF-8.",
  threshold: 'Similarité des noms (0-1] nécessaire pour fusionner deux personnes nées le même jour (0.8 par défaut).',
  families: 'Nombre de foyers.',
  seed: 'Graine du générateur (même graine, mêmes octets).',
  clean: 'Ni orphelins ni valeurs invalides (les doublons et les champs facultatifs manquants sont tout de même plantés).',

  // firewalls
  output: 'Écrire dans ce fichier au lieu de la sortie standard',
  school: 'Cette école (UAI) ; répétable',
  all: 'Toutes les écoles du registre',
  force: 'Pousser aussi vers les écoles dont la configuration est inchangée',
  identity: 'Fichier de clé privée SSH pour les boîtiers',
  retries: 'Tentatives supplémentaires pour un boîtier injoignable',
  'from-lan': "Vérifier depuis cet ordinateur, branché sur le LAN de l'école",
  dns: "Avec --from-lan : le serveur DNS que reçoivent les élèves (par défaut : l'adresse LAN du boîtier)",
  'outside-dns': 'Avec --from-lan : un résolveur extérieur qui doit être refusé ou redirigé (par défaut : 9.9.9.9)',
  'allowed-domain': 'Avec --from-lan : un nom qui doit se résoudre',
  category: 'Charger seulement cette catégorie ; répétable',
  push: "Déployer ensuite sur chaque boîtier d'école (application sûre)",

  // laptops
  site: 'Code du lieu',
  bay: 'Une baie du dock que ce poste peut effacer et réinstaller (à répéter pour chaque baie)',
  station: 'Nom de ce poste (par défaut : le nom de la machine) ; rouvrez-le sous le même nom pour reprendre',
  'probe-dir': "Dossier des relevés matériels SERIAL.json laissés par la clé d'atelier",
  here: "Le poste tourne sur l'ordinateur lui-même : son numéro de série vient du DMI, sans scan",
  labels: 'Dossier des étiquettes PDF (sans --zpl)',
  laptop: "Numéro de série de l'ordinateur (réformé ou en attente) auquel appartient le disque",
  part: 'Un disque de pièces détachées (désigné par son propre numéro de série)',
  'win7-pc': "Numéro de série de l'ancien PC win7 auquel appartient le disque",
  verify: 'Relire des échantillons (par défaut) ou chaque bloc',
  beneficiary: 'Référence du bénéficiaire',
  scan: "Remettre par scan : la carte de convention, puis l'ordinateur, pour chaque personne",
  glpi: 'Le fichier est un export des ordinateurs de GLPI (celui que lit win7 inventory import)',
  printer: "Avec --zpl : l'imprimante, HOST ou HOST:PORT (port 9100 par défaut)",
  state: 'État (répétable) : received, diagnosed, wiped, imaged, ready, allocated, handed_over, on_hold, scrapped, returned, lost',
  grade: 'Grade esthétique A, B ou C',
  'changed-since': 'État changé depuis (date, date et heure, ou 7d)',
  search: "Une partie du numéro de série ou du numéro d'inventaire, sans tenir compte de la casse",
  key: 'Fichier de clé privée SSH',
  'known-hosts': 'Un fichier known_hosts à approuver aussi',
  'no-save': 'Afficher seulement le relevé, sans rien enregistrer',
  'tools-path': "Dossier des outils à placer en tête du PATH (les outils d'une clé USB amorçable)",
  weeks: "Nombre de semaines ISO de production, jusqu'à la semaine en cours",
  reason: "Pourquoi (gardé dans l'historique et le journal d'audit)",
  days: 'Lister aussi les mouvements par jour, sur les N derniers jours',
  collector: 'Le collecteur DEEE (entreprise ou association)',
  pdf: 'Écrire dans ce fichier le bordereau de remise (PDF, en français)',
  method: "Forcer un écrasement (Clear) au lieu de l'effacement par le micrologiciel",
  jobs: 'Disques effacés en même temps',
  'older-than': 'Âge : en jours (365), en mois (12m) ou en années (3y) ; 100 ans au plus',
  kind: 'lost (perdu) ou stolen (volé)',
  donor: 'Donateur (entreprise, administration)',
  notes: 'Remarques',
  'start-timeout': "Abandonner si aucun émetteur ne s'est présenté après ce nombre de secondes",
  'min-receivers': 'Démarrer dès que ce nombre de récepteurs est connecté',
  'max-wait': 'Démarrer quand même après ce nombre de secondes (avec au moins un récepteur)',

  // win7
  member: 'Seulement cet adhérent',
  detail: 'Une ligne par PC avec ses raisons',
  policy: "Politique d'approvisionnement en JSON (par défaut : templates/win7/supply-policy.json)",
  replaces: "Numéro de série de l'ancien PC qu'il remplace",
  maker: 'Fabricant du nouveau PC',
  disposal: 'Mis au rebut en DEEE',
  'wiped-certificate': "Certificat d'effacement JSON écrit par alpi laptops certify --win7-pc",
  'per-day': 'PC installés par jour',
  'out-dir': 'Dossier des fichiers ICS et CSV (par défaut : le dossier courant)',
  'join-password-file': "Fichier contenant le mot de passe de jonction (sinon la variable d'environnement ALPI_JOIN_PASSWORD)",
  execute: 'Exécuter les étapes de préparation sur le nouveau PC par SSH',
  'stuck-days': 'Bloqué : dans un état non final depuis plus de ce nombre de jours',
  commune: "Commune (regroupe les visites d'installation)",
  'naming-rule': 'Règle de nommage des ordinateurs',
  domain: 'Domaine AD à joindre',
  ou: 'OU des objets ordinateur',
  'join-account': 'Compte dédié qui ne peut que joindre des ordinateurs au domaine',
  software: 'Identifiants winget, séparés par des virgules',
  'usmt-store': 'Dossier UNC des magasins USMT',

  // oclif's help and autocomplete
  'nested-commands': 'Inclure aussi toutes les sous-commandes.',
  'refresh-cache': 'Rafraîchir le cache (sans afficher les instructions)',
}

export const ARGS_FR: Record<string, string> = {
  file: "Fichier CSV, ou - pour l'entrée standard",
  serial: "Numéro de série de l'ordinateur",
  dir: "Dossier de l'export Abelium.",
  source: "Dossier de l'export Abelium.",
  target: 'Dossier écrit par `cityfamily migrate`.',
  key: 'Clé en notation pointée (laptops.grading.batteryMinHealthPct).',
  value: 'Valeur (les nombres, booléens et tableaux JSON sont interprétés).',
  uai: "L'UAI de l'école",
  host: "Nom ou adresse de l'hôte",
  name: "Nom de l'image",
  code: 'Code du lot',
  lot: 'Code du lot',
  member: "Code de l'adhérent",
  command: "Commande dont afficher l'aide.",
  shell: 'Type de shell',
}

/** The flags and arguments whose English differs from the shared one: their French by command id. */
export const COMMAND_FLAGS_FR: Record<string, {flags?: Record<string, string>; args?: Record<string, string>}> = {
  'audit:anchor': {flags: {out: "Le fichier d'ancrage à écrire (remplacé s'il existe)."}},
  'audit:list': {
    flags: {
      since: 'Depuis cette date (ISO) ou cette durée (7d, 12h).',
      limit: "Au plus ce nombre d'entrées (les plus récentes).",
    },
  },
  'config:get': {args: {key: 'Clé en notation pointée (technician, laptops.grading.batteryMinHealthPct...) ; aucune pour toutes.'}},
  'db:backup': {flags: {output: 'Chemin de la copie (ne doit pas exister).'}},

  'cityfamily:anonymize': {flags: {out: 'Dossier de la copie anonymisée.', 'source-mapping': 'Fichier de mapping Abelium.'}},
  'cityfamily:migrate': {
    flags: {out: 'Dossier des fichiers CityFamily et du rapport.', 'dry-run': 'Tout faire sauf écrire : afficher le rapport.'},
  },
  'cityfamily:reconcile': {
    flags: {'source-mapping': 'Fichier de mapping Abelium.', mapping: 'Fichier de mapping CityFamily utilisé par migrate.'},
  },
  'cityfamily:sample': {flags: {out: "Dossier où écrire l'export."}},
  'cityfamily:validate': {flags: {rejects: 'Où écrire le TSV des rejets (par défaut : DIR.rejects.tsv).'}},

  'firewalls:compliance': {flags: {html: 'Page HTML en français', csv: 'CSV, une ligne par école'}},
  'firewalls:deploy': {
    flags: {
      'dry-run': "Montrer seulement le plan (une ligne par école) ; rien n'est envoyé",
      concurrency: 'Boîtiers traités en parallèle (par défaut : le réglage firewalls.concurrency, sinon 10)',
      diff: 'Avec --dry-run : les différences des fichiers aussi',
      'allow-drop': "Laisser retirer du boîtier cette catégorie, qui n'est plus dans la politique de l'école ; répétable",
    },
  },
  'firewalls:plan': {
    flags: {
      school: 'Seulement cette école (UAI) ; répétable',
      diff: 'Aussi les différences des fichiers avec le dernier déploiement (--json : files[].diff)',
      'allow-drop': 'Comme deploy --allow-drop : planifier comme si cette catégorie pouvait être retirée des boîtiers ; répétable',
    },
  },
  'firewalls:verify': {flags: {concurrency: 'Boîtiers traités en parallèle'}},
  'firewalls:lists:update': {
    flags: {concurrency: "Boîtiers traités en parallèle lors de l'envoi", from: 'Dossier UT1 ou .tar.gz'},
  },

  'laptops:allocate': {
    flags: {
      'dry-run': 'Avec --from : contrôler les lignes et écrire le fichier des rejets, sans rien attribuer',
      count: "Nombre d'ordinateurs à tirer",
      serial: 'Un ordinateur à attribuer (répétable)',
      from: "Un CSV des numéros de série à attribuer (un par ligne), ou - pour l'entrée standard",
    },
  },
  'laptops:bench': {
    flags: {
      out: "Dossier des certificats d'effacement",
      image: "Image de référence écrite après l'effacement (alpi laptops images list)",
      ssh: "Relever par SSH l'ordinateur posé sur le poste : USER@HOST[:PORT]",
      zpl: 'Imprimer les étiquettes en ZPL sur laptops.labels.printer',
    },
  },
  'laptops:certify': {
    flags: {
      out: 'Dossier du certificat (JSON et PDF)',
      device: 'Disque entier à effacer, par exemple /dev/sdb',
      confirm: 'De nouveau le numéro de série (ordinateur, PC, ou le disque avec --part), pour confirmer sans question',
      'device-serial': 'Périphériques loop seulement (tests) : le numéro de série que représente le périphérique',
    },
  },
  'laptops:grade': {
    flags: {
      'dry-run': 'Avec --sheet : contrôler chaque ligne et écrire le fichier des rejets, sans donner aucun grade',
      rejects: 'Avec --sheet : où écrire les lignes refusées (par défaut : à côté de la fiche)',
      'repair-encoding':
        "Avec --sheet : lire comme du Windows-1252 les lignes d'une fiche UTF-8 qui ne sont pas en UTF-8 (en disant lesquelles) au lieu de les rejeter",
      cosmetic: 'Grade esthétique',
      sheet: "Donner un grade en nombre : une fiche d'atelier CSV (numéro de série ; grade esthétique), ou - pour l'entrée standard",
    },
  },
  'laptops:handover': {
    flags: {
      out: 'Dossier des attestations PDF',
      from: "Remettre en nombre : un CSV (numéro de série ; référence du bénéficiaire), ou - pour l'entrée standard",
    },
  },
  'laptops:import': {flags: {lot: 'Avec --glpi : le lot de toutes les lignes'}},
  'laptops:label': {
    flags: {
      out: "Fichier à écrire (PDF ; avec --zpl, le ZPL au lieu de l'imprimer)",
      zpl: "ZPL pour une imprimante Zebra au lieu d'un PDF",
      sheet: "PDF sur planches A4 de ce modèle d'étiquettes",
    },
    args: {serial: "Numéro de série de l'ordinateur (plusieurs possibles)"},
  },
  'laptops:list': {
    flags: {
      since: 'Reçus depuis (date, date et heure, ou 7d)',
      limit: 'Au plus N ordinateurs',
      output: 'Écrire le CSV dans ce fichier',
      csv: "CSV au lieu d'un tableau",
      lot: 'Lot (arrivage)',
      model: 'Modèle (une partie, sans tenir compte de la casse)',
    },
  },
  'laptops:probe': {
    flags: {
      serial: "Le numéro de série de l'étiquette ; obligatoire quand le micrologiciel n'en donne pas ou donne une valeur de remplissage",
      from: 'Enregistrer un relevé sauvegardé plus tôt (JSON) au lieu de relever la machine',
      ssh: "Relever une autre machine : user@host[:port] (sa clé d'hôte doit être approuvée : alpi hosts trust)",
    },
  },
  'laptops:reimage': {
    flags: {image: "Nom de l'image (alpi laptops images list)", device: 'Disque cible (à répéter pour plusieurs)'},
  },
  'laptops:report': {flags: {out: 'Fichier de sortie', html: "Page HTML (le seul format pour l'instant)"}},
  'laptops:return': {flags: {reason: 'Pourquoi il est revenu'}},
  'laptops:weee': {
    flags: {
      'dry-run': 'Lister seulement, sans rien enregistrer',
      csv: 'Écrire la liste en CSV dans ce fichier',
      date: "Date de l'enlèvement (par défaut : aujourd'hui)",
    },
  },
  'laptops:wipe': {
    flags: {
      out: 'Dossier des certificats (JSON et PDF)',
      serial: "Numéro de série de l'ordinateur auquel appartient le disque (un seul --device)",
      device: 'Disque entier à effacer, par exemple /dev/sda (à répéter pour plusieurs disques)',
      confirm: "De nouveau le numéro de série de l'ordinateur (un disque) ou le nombre de disques, pour confirmer sans question",
      'device-serial': 'Périphériques loop seulement (tests), un seul --device : le numéro de série que représente le périphérique',
    },
  },
  'laptops:beneficiaries:list': {
    flags: {site: 'Seulement ce lieu', output: 'Écrire dans ce fichier un CSV avec les noms (mode 0600)'},
  },
  'laptops:correct:regrade': {flags: {cosmetic: 'Grade esthétique : A comme neuf, B peu usé, C marqué'}},
  'laptops:images:add': {args: {file: "Fichier de l'image"}},
  'laptops:lots:add': {flags: {count: 'Ordinateurs annoncés', date: 'Date de réception'}},
  'laptops:lots:report': {flags: {out: 'Fichier PDF à écrire'}},
  'laptops:multicast:receive': {
    flags: {
      image: "Nom de l'image (pour son empreinte et sa compression)",
      device: 'Disque à écrire',
      interface: 'Interface réseau',
      portbase: "Port de base d'udpcast (le même que l'émetteur)",
    },
  },
  'laptops:multicast:send': {
    flags: {
      image: "Nom de l'image",
      interface: 'Interface réseau du côté des ordinateurs',
      portbase: "Port de base d'udpcast (9000 par défaut) ; un par lot simultané",
    },
  },

  'win7:assess': {flags: {member: 'Seulement cet adhérent (code)'}},
  'win7:installed': {args: {serial: "Numéro de série du nouveau PC (ou de l'ancien PC qu'il remplace)"}},
  'win7:order': {
    flags: {
      out: 'CSV pour la LAFI (par défaut : ./commande-lafi-MEMBER-DATE.csv)',
      'dry-run': "Proposer seulement les lignes : aucun fichier, rien d'enregistré",
      member: "Code de l'adhérent (voir win7 status)",
      date: "Date de commande AAAA-MM-JJ (par défaut : aujourd'hui) : la politique est vérifiée à cette date",
    },
  },
  'win7:receive': {flags: {model: 'Modèle du nouveau PC'}, args: {serial: 'Numéro de série du nouveau PC'}},
  'win7:retire': {args: {serial: "Numéro de série de l'ancien PC"}},
  'win7:schedule': {flags: {from: 'Premier jour AAAA-MM-JJ'}},
  'win7:stage': {
    flags: {
      out: 'Dossier de sortie (par défaut : ./staging/SERIAL)',
      identity: "Fichier de clé privée SSH (par défaut : l'agent SSH)",
      ssh: 'USER@HOST[:PORT] du nouveau PC (avec --execute)',
    },
    args: {serial: 'Numéro de série du nouveau PC'},
  },
  'win7:status': {flags: {member: 'Seulement cet adhérent (ajoute une ligne par site)'}},
}
