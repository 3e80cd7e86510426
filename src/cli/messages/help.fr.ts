/**
 * French help: command summaries and descriptions keyed by command id, topic descriptions, the
 * section headings and the exit codes (the flags and arguments: help-flags.fr.ts). English stays in the command classes; every command of the
 * manifest and every topic has its French here (test/unit/cli/help.test.ts fails otherwise).
 * A French description leaves out the EXIT CODES block: the help class appends EXIT_CODES_FR.
 */
export const COMMANDS_FR: Record<string, {summary: string; description?: string}> = {
  'db:backup': {
    summary: "Faire une copie cohérente de la base pendant que d'autres l'utilisent",
    description:
      "SQLite : l'API de sauvegarde en ligne (une image cohérente même quand un autre processus écrit). PostgreSQL : pg_dump au format custom. La copie est en 0600 et n'écrase jamais un fichier.",
  },
  'db:migrate': {
    summary: 'Appliquer les migrations en attente à la base',
    description:
      "Crée le fichier SQLite (0600) s'il le faut. Toutes les autres commandes migrent aussi la base à l'ouverture ; celle-ci sert pour une base PostgreSQL partagée, installée par un administrateur.",
  },
  'db:status': {summary: 'Montrer où est la base, ses migrations et le nombre de lignes'},
  'audit:anchor': {
    summary: "Exporter la tête de la chaîne d'audit, signée, à garder hors de la base",
    description:
      "Vérifie la chaîne, puis écrit dans FILE sa tête (entrée et empreinte), le nombre d'entrées, l'heure et le technicien, signés avec la clé ed25519 de ce poste (créée au premier usage à côté du fichier de réglages, 0600). Gardez le fichier hors de la base : envoyez-le par courriel, imprimez-le, rangez-le avec les sauvegardes. Plus tard, `alpi audit verify --anchor FILE` prouve que rien n'a été coupé ni réécrit avant cette tête.",
  },
  'audit:list': {summary: "Lister les entrées du journal d'audit (qui, quand, quoi, résultat)"},
  'audit:verify': {
    summary: "Vérifier la chaîne d'empreintes du journal d'audit : détecte les entrées modifiées, supprimées ou tronquées",
    description:
      "L'empreinte de chaque entrée couvre ses champs et l'empreinte de l'entrée précédente : une entrée modifiée ou supprimée dans la base rompt la chaîne à partir de ce point. Un journal supprimé, vidé ou recommencé alors que la base contient des données échoue aussi.\nLa chaîne n'utilise aucun secret : qui peut écrire dans la base peut reconstruire une chaîne entière. Seule une tête enregistrée HORS de la base prouve que rien n'a été coupé ni réécrit avant elle : passez la tête affichée par une vérification antérieure (--expect-head) ou un fichier d'ancrage écrit par `alpi audit anchor` (--anchor).",
  },
  'hosts:forget': {
    summary: "Oublier la clé d'hôte SSH épinglée d'une machine (les connexions sont refusées jusqu'à une nouvelle confiance)",
  },
  'hosts:list': {summary: "Lister les clés d'hôte SSH épinglées"},
  'hosts:trust': {
    summary: "Épingler la clé d'hôte SSH d'une machine (alpi refuse les clés inconnues et changées)",
    description:
      "Se connecte à HOST (sans ouvrir de session), montre la clé qu'il présente et l'enregistre si elle correspond à --fingerprint (lisez-la sur la machine elle-même : ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), ou après une confirmation (--yes dans les scripts). --public-key-file épingle une clé sans se connecter.\nRemplacer une clé épinglée différente demande --fingerprint (ou une confirmation dans un terminal) : --yes seul est refusé.",
  },
  'config:get': {summary: 'Montrer un réglage, ou tous'},
  'config:path': {summary: 'Montrer où sont le fichier de réglages et la base par défaut'},
  'config:set': {
    summary: 'Changer un réglage dans le fichier de réglages (XDG, 0600)',
    description:
      "La clé et la valeur sont vérifiées d'après les réglages que lit chaque campagne : une clé inconnue ou une valeur hors limites est refusée (code 2) avec les clés ou les limites acceptées, et le fichier reste tel qu'il était.\nRéglages : technician, organisation, lang (fr ou en), db ; laptops.organisation, laptops.grading.* (batteryMinHealthPct 0-100, batteryRequired, maxReallocated, maxPending, maxOfflineUncorrectable, nvmeMaxPercentageUsed 0-255, nvmeMaxMediaErrors, minRamGiB, minDiskGB, scrapWhenPartsAtLeast) ; firewalls.sshUser, identity, knownHosts, concurrency (1-200), department, addressing.*, listMaxAgeDays, outsideDns, allowedDomain, verifyEveryDays, verifySamples (1-100) ; win7.domain, ou, joinAccount, namingRule, usmtStore, usmtDir, software.",
  },
  doctor: {
    summary: 'Vérifier ce poste : environnement, base, outils de chaque campagne, réglages, horloge et langue',
    description:
      "Affiche un tableau et, quand il manque quelque chose, la ligne apt-get unique qui installe tout.\nCode 0 quand tous les contrôles nécessaires passent (un avertissement, comme pg_dump absent avec une base SQLite, n'est pas un échec).",
  },
  help: {summary: "Afficher l'aide d'une commande d'<%= config.bin %>"},
  autocomplete: {summary: "Afficher les instructions d'installation de l'autocomplétion"},

  // cityfamily
  'cityfamily:anonymize': {
    summary: "Faire une copie anonymisée d'un export Abelium (pour une formation ou un signalement d'anomalie)",
    description:
      "Mêmes fichiers, en-têtes, identifiants et montants ; noms, adresses, téléphones, courriels et numéros remplacés par des pseudonymes cohérents ; toutes les dates décalées du même nombre de jours ; le texte libre de santé supprimé. Sans --secret, les pseudonymes ne permettent pas de remonter aux personnes. Le dossier --out est écrit en entier ou pas du tout (une copie précédente y est remplacée ; un dossier contenant d'autres fichiers est refusé).",
  },
  'cityfamily:inspect': {
    summary:
      'Profiler un export Abelium : encodage, séparateur, lignes, taux de remplissage par colonne, valeurs suspectes, colonnes manquantes',
    description: 'Lit chaque fichier nommé dans le mapping Abelium et ne modifie rien.',
  },
  'cityfamily:migrate': {
    summary: "Transformer un export Abelium en fichiers d'import CityFamily, avec un rapport (HTML en français, JSON)",
    description:
      "Normalise (téléphones, courriels, codes postaux et INSEE, noms, dates ISO), fusionne les personnes en double (même date de naissance, noms semblables une fois accents et casse ignorés ; chaque fusion est listée dans rapport.html pour relecture), constitue les foyers, reprend les QF, les numéros d'allocataire et les soldes, et écrit les fichiers du mapping CityFamily (UTF-8, 0600), rapport.html, rapport.json et rejets.tsv. Les données de santé (fiche sanitaire) ne sont même pas lues sans --include-health. Même entrée, mêmes octets (ALPI_NOW fixe la date du rapport). Le dossier --out est remplacé en entier (écrit à côté, mis en place à la fin) : il contient exactement ce que la dernière exécution a produit, et une exécution en échec le laisse tel qu'il était ; un dossier contenant des fichiers que migrate n'a pas écrits est refusé. Code 3 quand des lignes ont été rejetées (les autres sont écrites) : le résumé est affiché quand même, rejets.tsv les liste.",
  },
  'cityfamily:reconcile': {
    summary:
      "Retrouver chaque ligne d'un export Abelium dans les fichiers CityFamily : par entité et par foyer, avec ce que la migration a laissé de côté",
    description:
      "Chaque côté est calculé séparément (la source par le mapping Abelium, la cible par le mapping CityFamily) ; rejets.tsv et rapport.json, dans le dossier produit, disent quelles lignes migrate a laissées de côté ou fusionnées. Par entité, lignes de l'export = lignes écrites + lignes laissées de côté + lignes fusionnées ; par foyer, les membres, les factures, le facturé, le réglé et l'impayé concordent une fois les lignes laissées de côté retirées. Code 0 (« aucun écart ») seulement quand chaque ligne est dans les fichiers produits ; code 3 quand des lignes ont été laissées de côté (listées avec les foyers qu'elles touchent et les montants qu'elles portent) ; code 1 quand autre chose diffère (listé).",
  },
  'cityfamily:sample': {
    summary: 'Écrire un export Abelium synthétique (personnes générées uniquement) pour les démonstrations, les tests et les mesures',
    description:
      "Windows-1252, ';', CRLF, jj/mm/aaaa, virgules décimales, un fichier par entité, avec des foyers recomposés, des gardes alternées, des doublons plantés (accents, casse, faute de frappe), des champs manquants, des orphelins, un historique de QF, des impayés et des assistantes maternelles du RPE. Déterministe pour une graine donnée. Ce qui a été planté est dans DIR/.sample_truth.json. Le dossier --out est écrit en entier ou pas du tout (un échantillon précédent y est remplacé ; un dossier contenant d'autres fichiers est refusé).",
  },
  'cityfamily:validate': {
    summary: 'Contrôler un export Abelium : schéma de chaque entité et cohérence entre fichiers ; rejets en TSV',
    description:
      "Chaque ligne est contrôlée d'après le modèle canonique (dates, montants, codes, champs obligatoires) et d'un fichier à l'autre (un enfant rattaché à aucun foyer, un paiement affecté à aucune facture, des clés en double). Les problèmes vont dans un TSV (fichier, ligne, champ, valeur, message), par défaut à côté du dossier : DIR.rejects.tsv. Rien d'autre n'est écrit.",
  },

  // firewalls
  'firewalls:compliance': {
    summary: 'Conformité du filtrage par autorité compétente : écoles, équipées, vérifiées et conformes, en retard',
    description:
      "Le tableau par défaut ; --html une page en français pour un élu ; --csv une ligne par école (séparateur ;).\n« Vérifiée » = la dernière vérification depuis le LAN (`verify --from-lan`) a réussi dans les firewalls.verifyEveryDays jours (90 par défaut) et a testé chaque catégorie de liste qu'exige la politique de l'école ; une vérification côté administration seule ne compte jamais. Sinon « en retard », avec la raison (never-tested, categories-not-tested, stale) ; « en échec » quand la dernière vérification de l'un ou l'autre côté a échoué.",
  },
  'firewalls:deploy': {
    summary:
      "Pousser sans risque sa configuration à chaque boîtier d'école : valider sur le boîtier, appliquer avec un minuteur de retour arrière, contrôler, confirmer",
    description:
      "Par SSH avec des clés d'hôte épinglées (`alpi hosts trust`). Pour chaque école : envoi dans le dossier de préparation du profil, validation sur le boîtier, application (le boîtier lance d'abord son propre minuteur de retour arrière), puis, depuis une nouvelle connexion, contrôle des services et des empreintes des fichiers, et confirmation. Une configuration qui casse le boîtier ou son lien d'administration n'est jamais confirmée : le boîtier rétablit de lui-même sa configuration précédente. Reprise possible : relancer la même commande ne reprend que les écoles en échec. Les écoles inchangées ne sont pas touchées (--force pour pousser quand même).\nLes catégories de listes d'une école ne diminuent jamais à l'insu de tous : un déploiement qui retirerait une catégorie d'un boîtier est refusé pour cette école (FILTER_CATEGORY_DROPPED, code 4 avec les résultats des autres). Quand la version de listes n'a pas une catégorie qu'exige la politique de l'école, chargez-la (`alpi firewalls lists update --category NAME` : les autres catégories sont gardées). Quand le registre ne l'exige plus, nommez-la : --allow-drop NAME (répétable).\nSSH : --identity KEY ou le réglage firewalls.identity, sinon l'agent SSH ; l'utilisateur vient du registre ou de firewalls.sshUser.",
  },
  'firewalls:plan': {
    summary:
      "Produire la configuration de chaque boîtier d'école (base du profil + surcharges), contrôler l'adressage, comparer au dernier déploiement",
    description:
      "Rien n'est envoyé aux boîtiers. Une ligne par école : son statut, ce qu'un déploiement changerait dans les fichiers, la version des listes de filtrage, le nombre de catégories que bloque le filtre, son LAN, ses problèmes et ses notes ; --diff ajoute les différences des fichiers. Une école est « new » (jamais déployée), « changed », « unchanged » ou « invalid » (problème d'adressage, LAN qui se chevauchent sur un VPN partagé, variables de profil erronées, une catégorie de liste que le déploiement retirerait du boîtier : voir `alpi firewalls deploy --help` ; --allow-drop NAME planifie comme le ferait le déploiement avec cette option).\nUne catégorie exigée absente de la version de listes est une note. Une école sans adresse de boîtier est tout de même planifiée (une note dit que le déploiement en aura besoin). Code 1 quand une école est invalide (le plan est affiché quand même).",
  },
  'firewalls:verify': {
    summary:
      "Prouver que le filtrage fonctionne : santé du boîtier par SSH, ou contrôles DNS depuis un ordinateur branché sur le LAN de l'école",
    description:
      "Côté administration (par défaut ; toutes les écoles ou --school) : services actifs, fichiers identiques au dernier déploiement, rotation du journal des requêtes sur au moins un an, chaque catégorie de liste qu'exige la politique présente sur le boîtier, âge de la plus ancienne.\nAvec --from-lan (à lancer sur un ordinateur branché sur le LAN de l'école ; un seul --school) : pour chaque catégorie qu'exige la politique de l'école, des noms échantillons (firewalls.verifySamples, 5 par défaut) pris dans la version de listes que l'école devrait avoir (la plus récente) doivent tous recevoir la réponse de blocage du boîtier (un nom qui se résout, ou seulement NXDOMAIN, échoue : cela ne prouve rien) ; un nom autorisé se résout ; un résolveur extérieur est refusé ou redirigé ; les noms DNS-over-HTTPS connus sont bloqués. Seule une vérification --from-lan peut rendre une école « vérifiée » dans `alpi firewalls compliance`.\nLes résultats sont enregistrés par école avec leur date (voir `alpi firewalls compliance`). Code 4 quand une école échoue.",
  },
  'firewalls:worksheet': {
    summary: "Fiche d'installation imprimable (HTML en français) d'une école : boîtier, plan d'adressage, filtrage, étapes, signatures",
  },
  'firewalls:lists:update': {
    summary: 'Charger des listes de filtrage au format UT1 comme nouvelle version de listes, et les pousser au besoin sur chaque boîtier',
    description:
      "--from est le dossier UT1 décompressé (un dossier par catégorie avec un fichier « domains ») ou blacklists.tar.gz (https://dsi.ut-capitole.fr/blacklists/download/blacklists.tar.gz ; merci de télécharger hors de la plage 08:00-19:00 GMT).\nCatégories chargées : --category, sinon toutes celles que bloquent les écoles du registre ou leurs profils. Les catégories lues sont fusionnées dans la dernière version de listes : elles remplacent les leurs, et toutes les autres catégories de cette version sont gardées telles quelles avec leur propre date de chargement (une catégorie n'est jamais retirée des listes) ; ainsi `--category malware` rafraîchit malware et laisse adult et gambling comme ils étaient.\nLes écoles en mode liste blanche ne prennent aucune liste. Les lignes qui ne sont pas des noms de domaine sont ignorées et comptées.\n--push déploie la nouvelle version avec la même application sûre que `alpi firewalls deploy --all`.",
  },
  'firewalls:schools:import': {
    summary:
      "Importer les écoles de l'annuaire national ou d'une liste d'écoles (mise à jour par UAI ; ALPI en déduit le plan d'adressage)",
    description:
      "Le format est reconnu à l'en-tête, sans option :\n- L'annuaire national du ministère (CSV open data « Annuaire de l'éducation », ;) : seules les écoles publiques (maternelles, élémentaires, primaires) du département (firewalls.department, 040 par défaut) sont gardées ; les autres lignes sont comptées comme écartées. Colonnes utilisées : Identifiant_de_l_etablissement, Nom_etablissement, Type_etablissement, Statut_public_prive, Code_commune, Nom_commune, Code_departement, Adresse_1, Code_postal.\n- Une liste d'écoles (celle d'une autorité, ou le registre d'ALPI) : UAI, « Nom de l'école », « Commune » et/ou « Code INSEE », et au choix « Autorité compétente » / « Collectivité », « Type autorité » (commune|epci), « Réseau LAN » / « Plan d'adressage », et les colonnes d'ALPI : passerelle LAN, début/fin DHCP, mode WAN, adresse/passerelle WAN, VPN, numéro de série, adresse/port/utilisateur administration, profil, surcharges (JSON).\n- Les surcharges d'une école : un objet JSON avec ces clés seulement : blockDomains, allowDomains, categories, whitelist, blockAddress, upstreamDns, managementCidr, vars.\nCe qu'une liste ne donne pas est déduit (voir `alpi firewalls schools show UAI`) : le LAN, attribué une fois pour toutes dans firewalls.addressing.pool (10.40.0.0/15 par défaut, un /24 par école, le premier libre dans l'ordre des UAI, puis gardé), l'adresse du boîtier (.1) et la plage DHCP (.100-.199) d'après le LAN, le mode WAN d'après le profil, l'autorité d'après la commune, sa nature d'après son nom (« Commune de ... », « Communauté de communes ... », « CC ... » : sinon donnez « Type autorité »). Un nouvel import garde ce qu'ALPI a ajouté : les colonnes absentes du fichier gardent leurs valeurs enregistrées.\nLa lettre de contrôle de l'UAI est vérifiée. Les lignes rejetées vont dans le fichier des rejets avec leur raison ; les autres sont gardées (code 3). Relancer ne change rien.",
  },
  'firewalls:schools:list': {summary: 'Lister le registre des écoles (UAI, autorité, LAN, boîtier, dernier déploiement)'},
  'firewalls:schools:show': {
    summary: "Une école du registre : chaque valeur, et si une liste l'a donnée ou si ALPI l'a déduite (et par quelle règle)",
    description:
      "HOW vaut « given » (donnée par l'annuaire national ou une liste d'écoles), « derived » (adresse du boîtier et plage DHCP d'après le LAN, autorité d'après la commune, sa nature d'après son nom), « allocated » (LAN pris dans firewalls.addressing.pool, gardé depuis) ou « default » (mode WAN du profil, port 22, profil).",
  },

  // laptops
  'laptops:allocate': {
    summary:
      'Attribuer des ordinateurs prêts à un lieu, dans les limites de sa convention et de son quota : N tirés, ou ceux que vous choisissez',
    description:
      "--count N tire N ordinateurs prêts (grade A d'abord, puis les plus anciennement prêts). --serial S (répétable) attribue exactement ceux-là, tous ou aucun : un seul qui n'est pas prêt fait refuser toute la liste, en nommant chacun et ce qu'il lui faut d'abord. --from FILE (un numéro de série par ligne) attribue les lignes acceptées ; les lignes refusées vont dans le fichier des rejets avec leur numéro de ligne (code 3). Au-delà du quota du lieu, rien n'est attribué.",
  },
  'laptops:bench': {
    summary:
      "Le poste d'atelier : scanner un ordinateur, le contrôler, lui donner un grade ; l'effacement et la réinstallation tournent en arrière-plan",
    description:
      "Un poste qui reste ouvert dans un terminal, piloté par une douchette (un clavier qui tape une ligne). Scannez le numéro de série ou le numéro d'inventaire d'un ordinateur : il est identifié (enregistré d'après son relevé matériel s'il est inconnu), pris en charge par ce poste, relevé (--probe-dir, --ssh, ou --here sur l'ordinateur lui-même), puis la liste de contrôle demande une touche par point (Entrée = OK, N = en panne : clavier, écran, webcam, wifi, son, batterie, ports) et le grade esthétique (A, B, C, ou une carte GRADE-B imprimée). Un ordinateur qui passe est effacé puis réinstallé en arrière-plan sur la baie (--bay) qui tient son disque, et une étiquette est imprimée ; scannez aussitôt l'ordinateur suivant.\nCartes de commande : ALL-OK (tous les contrôles restants passent), GRADE-A/B/C, CANCEL, QUIT.\nLe panneau liste les ordinateurs en cours (baie, étape, avancement, temps restant) et ce qui vous attend. Les tâches sont gardées dans la base : après un plantage ou QUIT, rouvrir le poste (même --station) les montre et les reprend d'après l'état de l'ordinateur. Plusieurs postes peuvent partager une base PostgreSQL : un ordinateur n'appartient qu'à un poste à la fois (BENCH_CLAIMED).",
  },
  'laptops:certify': {
    summary:
      'Effacer et certifier un disque qui part : un ordinateur réformé ou en attente de pièce, un disque de pièces détachées, un ancien PC win7',
    description:
      "Le même moteur et le même certificat (JSON + PDF en français) que `laptops wipe`, hors du parcours de reconditionnement : aucun ordinateur ne change d'état. Le disque est écrasé par des zéros puis relu (Clear).\n--laptop : son disque doit être l'un de ceux de l'ordinateur (relevé matériel). --part : le numéro de série du disque lui-même le désigne. --win7-pc : un ancien PC de la campagne win7 ; son certificat JSON est alors accepté par `alpi win7 retire SERIAL --wiped-certificate FILE`. Confirmation renforcée : tapez le numéro de série, ou --confirm SERIAL. Les ordinateurs réformés, disques de pièces et PC certifiés vont sur la prochaine liste DEEE (`alpi laptops weee`).",
  },
  'laptops:grade': {
    summary: "Verdict d'après le relevé matériel enregistré et le grade esthétique : prêt, pièce à changer, ou à réformer",
    description:
      "Les seuils viennent des réglages (alpi config set laptops.grading.batteryMinHealthPct 60, ...) : santé de la batterie, SMART 5/197/198, avertissement critique NVMe, réserve, usure et erreurs de support, mémoire, taille du disque. Le grade esthétique (A, B, C) est demandé au poste d'atelier, ou donné avec --cosmetic.\nUne fiche d'atelier (--sheet FILE : numéro de série ; grade esthétique) est contrôlée ligne par ligne comme un seul grade : un numéro inconnu, un ordinateur pas encore relevé, ou un ordinateur dont le cycle de vie refuse un grade (effacé, prêt, réformé...) va dans le fichier des rejets avec son numéro de ligne et sa raison (code 3) ; les autres reçoivent leur grade en une seule transaction. Un ordinateur diagnostiqué ou en attente reçoit un nouveau grade (son verdict est remplacé).",
  },
  'laptops:handover': {
    summary: "Remettre des ordinateurs attribués à des bénéficiaires et écrire pour chacun l'« attestation de remise » (PDF)",
    description:
      "Refusé sans parcours de formation commencé, avec une convention expirée, sur un autre lieu, pour un ordinateur sans certificat d'effacement, ou à une personne qui détient déjà un ordinateur.\nUne journée de distribution : --from FILE, un CSV avec le numéro de série de l'ordinateur et la référence du bénéficiaire sur chaque ligne. Chaque ligne est contrôlée comme une remise ; les lignes refusées vont dans le fichier des rejets avec leur numéro de ligne (code 3) et les autres sont remises, une attestation chacune.\nAvec une douchette : --scan lit les scans, un par ligne : la carte de convention du bénéficiaire (sa référence), puis l'ordinateur (numéro de série ou d'inventaire) ; l'attestation est écrite et la carte suivante attendue. Un refus tient en une ligne sur stderr et le poste attend la carte suivante. CANCEL oublie la carte scannée ; QUIT ou la fin de l'entrée termine la journée.",
  },
  'laptops:import': {
    summary: "Enregistrer un lot d'ordinateurs reçus depuis un fichier CSV (mise à jour par numéro de série)",
    description:
      "Colonnes : serial (obligatoire), asset tag, maker, model, lot, notes ; en-têtes en français ou en anglais. Les numéros de série de remplissage (« Default string », « To be filled by O.E.M. », « System Serial Number », « 0123456789 », vide) sont rejetés dans le fichier des rejets ; les autres lignes sont gardées. Relancer ne change rien.\n--glpi : le fichier est un export des ordinateurs de GLPI (le format que lit `win7 inventory import`) : numéro de série, fabricant, modèle, et le nom GLPI comme numéro d'inventaire ; --lot donne le lot de toutes ses lignes.",
  },
  'laptops:label': {
    summary: "Imprimer les étiquettes d'inventaire (numéro d'inventaire, numéro de série, grade, image, QR code) en PDF ou en ZPL",
    description:
      "PDF pour toute imprimante : une étiquette par page au format configuré (laptops.labels.widthMm / heightMm, 62 x 29 mm par défaut), ou des planches A4 d'étiquettes avec --sheet. Le ZPL part vers une imprimante Zebra en TCP brut (port 9100), donnée par --printer ou laptops.labels.printer, ou dans un fichier avec --out.\nLe QR code contient le numéro d'inventaire (le numéro de série quand l'ordinateur n'en a pas encore), ou une URL tirée du modèle laptops.labels.qrUrl ({tag} et {serial} y sont remplacés).\nUne imprimante qui ne répond pas dans le délai laptops.labels.timeoutMs (5000 ms par défaut) ou qui refuse la connexion : PRINTER_UNREACHABLE (code 1), rien n'est retenté dans votre dos.",
  },
  'laptops:list': {
    summary: "Lister les ordinateurs : par état, lieu, modèle, grade, lot, date, ou un morceau de numéro de série ou d'inventaire",
    description:
      'Les filtres se combinent (tous doivent correspondre) ; --state peut être répété. --csv écrit les mêmes lignes en CSV (sur stdout ou dans --output).',
  },
  'laptops:probe': {
    summary: "Relever le matériel de cet ordinateur, ou d'un autre par SSH, et l'enregistrer sur sa fiche",
    description:
      "dmidecode (numéro de série, fabricant, modèle, UUID, processeur, mémoire), lsblk (disques), smartctl -j -a pour chaque disque interne, santé de la batterie d'après /sys/class/power_supply. À lancer en root. Un ordinateur pas encore enregistré est enregistré comme reçu. Une source qui ne donne rien est un avertissement, pas un échec : sans tables DMI (une machine virtuelle, pas root), le numéro de série, le fabricant, le modèle et l'UUID sont inconnus, la mémoire est estimée d'après /proc/meminfo et le processeur lu dans /proc/cpuinfo ; un disque sans SMART (virtuel, derrière un pont USB) n'en a pas. Quand le micrologiciel ne donne pas de numéro de série utilisable (aucun, ou un numéro de remplissage comme « Default string »), --serial est obligatoire : le numéro de série de l'étiquette. --from FILE enregistre un relevé sauvegardé auparavant avec --json.",
  },
  'laptops:reimage': {
    summary: 'Écrire une image de référence sur un ou plusieurs disques effacés à la fois, relire chacun et vérifier son empreinte',
    description:
      "Chaque périphérique doit être le disque d'un ordinateur enregistré (son numéro de série figure dans le relevé matériel de l'ordinateur) à l'état effacé, imagé ou prêt. L'image est lue ou décompressée une seule fois et écrite sur chaque périphérique. Les ordinateurs jugés « prêts » passent à l'état prêt.",
  },
  'laptops:report': {
    summary:
      'Écrire une page HTML autonome pour les responsables (en français, graphiques intégrés) : débit par semaine, stock prêt, temps par étape, quotas',
  },
  'laptops:return': {
    summary: "Enregistrer le retour d'un ordinateur (d'un bénéficiaire ou d'un lieu) : il repart au diagnostic",
  },
  'laptops:show': {
    summary: 'Montrer un ordinateur : état, verdict et ses raisons, relevé matériel, certificats, remises, historique (heure locale)',
  },
  'laptops:status': {
    summary: 'Ce que lit un responsable : effectifs par état, débit par semaine, stock prêt par modèle, temps par étape, quotas des lieux',
    description:
      "Les semaines sont des semaines ISO à l'heure de Paris (Europe/Paris), comptées d'après les changements d'état des ordinateurs (reçu, effacé, prêt, remis). Les temps par étape sont des médianes en jours sur tous les ordinateurs qui ont franchi l'étape. --json porte les mêmes chiffres.",
  },
  'laptops:weee': {
    summary:
      "La liste de remise DEEE pour l'enlèvement par le recycleur (CSV et PDF en français) : numéros de série, identifiants de certificat, date, collecteur",
    description:
      "Liste chaque certificat réussi d'un disque qui part (ordinateurs réformés, disques de pièces, anciens PC win7 : `alpi laptops certify`) pas encore remis à un collecteur, les enregistre comme remis à --collector à la date --date (aujourd'hui par défaut), et écrit la liste en CSV (--csv) et en PDF français à signer (--pdf). --dry-run liste sans rien enregistrer. Un certificat n'est remis qu'une fois.",
  },
  'laptops:wipe': {
    summary: 'Effacer les disques des ordinateurs (NIST SP 800-88 Rev. 2) et écrire chaque certificat (JSON + PDF, en français)',
    description:
      "Méthode selon le périphérique : sanitize NVMe (crypto, sinon block erase) ou format, effacement sécurisé ATA renforcé s'il n'est pas gelé (Purge), sinon un écrasement par des zéros suivi d'une relecture de contrôle (Clear).\nRefuse un périphérique monté, le disque depuis lequel alpi tourne, un disque qui n'est pas l'un des disques de l'ordinateur (numéros de série de son relevé matériel), un ordinateur pas encore diagnostiqué.\nUn disque : nommez son ordinateur avec --serial (ou laissez alpi le trouver d'après le numéro de série du disque) ; confirmation renforcée : tapez le numéro de série de l'ordinateur, ou passez --confirm SERIAL dans les scripts.\nPlusieurs disques (un dock à plusieurs baies) : répétez --device ; chaque ordinateur est trouvé d'après le numéro de série de son disque, tous les disques sont contrôlés avant toute écriture (un refus fait refuser le lot), puis jusqu'à --jobs disques sont effacés en même temps, chacun avec son certificat. Confirmation : tapez le nombre de disques, ou passez --confirm N. Un disque en échec n'arrête pas les autres (le code 4 le liste).\nUn périphérique loop (une image disque sur un banc de test) n'a pas de numéro de série : donnez celui qu'il représente avec --device-serial SER, un périphérique à la fois (refusé pour tout périphérique qui n'est pas un loop).",
  },
  'laptops:beneficiaries:import': {
    summary: "Importer les bénéficiaires d'un lieu (référence, nom, commune, parcours de formation, lieu ; rien de plus)",
    description:
      'Colonnes : reference, name, commune, référence du parcours de formation, date de début du parcours, code du lieu. Le lieu doit exister (alpi laptops sites import).',
  },
  'laptops:beneficiaries:list': {
    summary:
      'Lister les bénéficiaires : références, lieu, parcours de formation, ordinateur détenu (les noms seulement dans un terminal ou un fichier 0600)',
    description:
      'Les noms sont des données personnelles : ils sont affichés dans un terminal, ou écrits avec --output dans un fichier CSV en mode 0600. Une sortie redirigée ou envoyée dans un tube, et --json sur stdout, ne portent que les références.',
  },
  'laptops:beneficiaries:purge': {
    summary: 'Supprimer les fiches de bénéficiaires plus anciennes que la durée de conservation (les remises restent, sans la personne)',
  },
  'laptops:correct:cancel-handover': {
    summary:
      "Annuler une remise faite par erreur, dans le délai (laptops.handoverCancelHours, 48 h par défaut) : l'ordinateur redevient attribué",
    description: "Le changement, sa raison et son auteur vont dans l'historique de l'ordinateur et dans le journal d'audit.",
  },
  'laptops:correct:found': {
    summary: 'Un ordinateur perdu ou volé retrouvé : il est enregistré comme retourné, pour recevoir un nouveau grade',
    description: "Le changement, sa raison et son auteur vont dans l'historique de l'ordinateur et dans le journal d'audit.",
  },
  'laptops:correct:lost': {
    summary: "Déclarer un ordinateur perdu ou volé : hors du stock et du quota de son lieu (`correct found` s'il réapparaît)",
    description: "Le changement, sa raison et son auteur vont dans l'historique de l'ordinateur et dans le journal d'audit.",
  },
  'laptops:correct:regrade': {
    summary:
      'Redonner un grade à un ordinateur diagnostiqué ou prêt sur de nouveaux éléments (son relevé jugé de nouveau avec le grade esthétique donné)',
    description: "Le changement, sa raison et son auteur vont dans l'historique de l'ordinateur et dans le journal d'audit.",
  },
  'laptops:correct:rewipe': {
    summary: "Renvoyer un ordinateur imagé ou prêt à l'effacement (son image et son certificat ne comptent plus)",
    description: "Le changement, sa raison et son auteur vont dans l'historique de l'ordinateur et dans le journal d'audit.",
  },
  'laptops:correct:unallocate': {
    summary: "Reprendre une attribution faite par erreur : l'ordinateur redevient prêt et la place du quota du lieu est libérée",
    description: "Le changement, sa raison et son auteur vont dans l'historique de l'ordinateur et dans le journal d'audit.",
  },
  'laptops:images:add': {summary: 'Enregistrer une image de référence (.img brute ou .img.zst) : sha256 et taille du contenu brut'},
  'laptops:images:list': {summary: 'Lister les images de référence'},
  'laptops:images:verify': {summary: "Vérifier qu'un fichier image a toujours le sha256 et la taille enregistrés"},
  'laptops:lots:add': {
    summary: "Enregistrer un lot (arrivage) d'un donateur : code, donateur, date, nombre d'ordinateurs annoncés",
    description:
      'Les ordinateurs du lot portent son code dans la colonne « lot » du fichier de réception (`laptops import`). Enregistrer de nouveau un lot le met à jour.',
  },
  'laptops:lots:list': {
    summary: 'État de chaque lot : annoncés, reçus, en cours, prêts, remis, réformés, perdus, certifiés',
  },
  'laptops:lots:report': {
    summary:
      "Le bilan de fin de lot pour le donateur (PDF en français) : chiffres, certificats d'effacement, communes touchées, aucune donnée personnelle",
    description:
      "Pour le donateur qui demande la preuve de l'effacement et de l'usage social : les effectifs du lot, chaque certificat d'effacement de ses ordinateurs, et les communes où ils ont été remis. Ni nom ni référence de bénéficiaire : les personnes sont seulement comptées par commune.",
  },
  'laptops:multicast:receive': {
    summary: "Recevoir une image en multicast sur le disque de cet ordinateur, la relire, vérifier l'empreinte et l'enregistrer",
    description:
      "À lancer sur chaque ordinateur du lot démarré par le réseau (avec la base partagée : --db postgres://...). Le disque doit être celui de l'ordinateur (numéro de série dans son relevé matériel) et effacé.",
  },
  'laptops:multicast:send': {
    summary: "Envoyer une image de référence à un lot d'ordinateurs démarrés par le réseau, tous à la fois (udp-sender d'udpcast)",
    description:
      "Attend --min-receivers ordinateurs (au plus --max-wait secondes), puis diffuse le fichier image tel qu'il est enregistré (une image .zst reste compressée sur le réseau). Chaque ordinateur lance `alpi laptops multicast receive`.",
  },
  'laptops:sites:import': {
    summary: "Importer les lieux d'inclusion numérique et leurs conventions depuis un fichier CSV (mise à jour par code)",
    description:
      'Colonnes : code, nom, commune, référence de la convention, date de signature, date de fin, quota, contact. Dates au format jj/mm/aaaa ou aaaa-mm-jj.',
  },
  'laptops:sites:list': {summary: 'Lister les lieux, leurs conventions et le quota restant'},

  // win7
  'win7:assess': {
    summary: 'Donner à chaque PC un verdict Windows 11 (mise à niveau sur place, à remplacer, inconnu) avec toutes ses raisons',
    description:
      "Exigences : un processeur de la liste prise en charge (templates/win7/win11-cpus.json, un sous-ensemble documenté des listes de Microsoft), TPM 2.0, UEFI avec Secure Boot, 4 Go de mémoire, 64 Go de disque. Une donnée absente de l'inventaire donne « inconnu », jamais une supposition. Les PC déjà commandés gardent leur verdict.",
  },
  'win7:installed': {summary: "Enregistrer qu'un nouveau PC est installé sur site (préparé → installé)"},
  'win7:order': {
    summary: "Commander auprès de la LAFI le remplacement des PC d'un adhérent, contrôlé d'après la politique d'approvisionnement",
    description:
      "Une ligne par PC à remplacer (l'article disponible le moins cher du catalogue dans sa catégorie). Une catégorie bloquée par la politique d'approvisionnement à la date de commande est remplacée par son équivalent autorisé (pendant la pénurie de 2020 : un portable → une tour et un écran). Tout ou rien. Écrit le CSV pour la LAFI (';', UTF-8 avec BOM) et enregistre la commande ; les PC passent à « commandé ».",
  },
  'win7:receive': {summary: "Enregistrer un nouveau PC livré par la LAFI et l'ancien PC qu'il remplace (commandé → reçu)"},
  'win7:retire': {
    summary:
      "Retirer un ancien PC : lier le certificat d'effacement d'`alpi laptops certify --win7-pc`, ou enregistrer sa mise au rebut DEEE",
    description:
      "Le certificat JSON est celui qu'écrit `alpi laptops certify --device DEV --win7-pc SERIAL`. Il est contrôlé : son numéro de série doit être celui de ce PC, l'effacement réussi et sa vérification passée. Son identifiant, son niveau et son SHA-256 sont enregistrés. Le PC doit d'abord être « installé » (son remplaçant en place) ; le disque peut être certifié avant.",
  },
  'win7:schedule': {
    summary: "Planifier les visites d'installation des PC préparés : un calendrier ICS et un CSV",
    description:
      'Les visites sont regroupées par adhérent et par commune, au plus --per-day PC par jour ouvré (ni week-end, ni jour férié français). Écrit planning-installations.ics et planning-installations.csv ; planifier de nouveau remplace les visites antérieures des mêmes PC.',
  },
  'win7:stage': {
    summary:
      "Produire le dossier de préparation d'un nouveau PC (autounattend.xml, stage.ps1, scanstate.cmd), ou en exécuter les étapes par SSH",
    description:
      "autounattend.xml : fr-FR, Romance Standard Time, le nom d'ordinateur de l'adhérent, jonction au domaine avec le compte de jonction dédié. Son mot de passe vient de --join-password-file ou d'ALPI_JOIN_PASSWORD, va dans le fichier de réponses seulement (mode 0600) et jamais dans les journaux ni dans l'audit : supprimez le fichier après usage.\nstage.ps1 installe les logiciels de l'adhérent (winget) et restaure les données de l'utilisateur (USMT LoadState) ; scanstate.cmd capture d'abord les données sur l'ancien PC.\n--execute --ssh USER@HOST exécute les mêmes étapes sur le nouveau PC par SSH (serveur OpenSSH de Windows ; sa clé d'hôte doit être approuvée : alpi hosts trust). Le résultat de chaque étape est enregistré ; relancer saute les étapes déjà réussies. Code 4 quand une étape a échoué.",
  },
  'win7:status': {
    summary: 'Le suivi des remplacements : PC par état et par adhérent (par site avec --member), et PC bloqués dans un état',
  },
  'win7:catalog:import': {
    summary: 'Importer le catalogue de la LAFI (référence, catégorie, désignation, prix, disponibilité ; mise à jour par référence)',
    description:
      'En-têtes : Référence, Catégorie (Unité centrale, Écran, Ordinateur portable, Tablette...), Désignation, Prix HT (1 234,56), Disponibilité (Disponible, Rupture, une quantité en stock).',
  },
  'win7:inventory:import': {
    summary: "Importer le parc de PC d'un export des ordinateurs de GLPI ou d'un export OCS Inventory (mise à jour par numéro de série)",
    description:
      "Les en-têtes français de GLPI (Nom, Entité, Statut, Fabricant, Modèle, Type, Numéro de série, Système d'exploitation - Nom/Version, Lieu, Usager, Processeur, Mémoire, Disque dur, TPM, Firmware, Secure Boot) ou les noms de colonnes d'OCS (NAME, TAG, SSN, OSNAME, PROCESSORT, MEMORY...). Les adhérents viennent de l'entité, les sites du lieu. Les cellules vides restent inconnues. Un nouvel import met à jour les données et garde l'état de chaque PC dans le suivi. Les lignes erronées vont dans le fichier des rejets avec leur numéro de ligne.\nTailles : un nombre sans unité est en Mio, comme l'écrivent GLPI (« Mémoire (Mio) ») et OCS (MEMORY, DISKSIZE) ; les « 7.75 Gio » ou « 238.47 Gio » de GLPI sont convertis. Une mémoire hors de 256 Mo-2 To ou un disque hors de 16 Go-64 To (une erreur d'unité, par exemple un « 256 » sans unité pour le disque) est gardé, signalé avec sa ligne, et son contrôle Windows 11 dit « inconnu » jusqu'à la correction de l'inventaire.",
  },
  'win7:member:set': {
    summary: "Régler la préparation d'un adhérent : règle de nommage, domaine, OU, compte de jonction, logiciels, commune",
    description:
      'Les réglages non définis reprennent ceux de la section « win7 » des réglages (alpi config set win7.domain ...).\nJetons de la règle de nommage : {code}, {code:N}, {site:N}, {serial:N} (les N derniers caractères) ; 15 caractères au plus.',
  },
}

/** The first line of the root help (package.json's description). */
export const ROOT_FR =
  "Boîte à outils de terrain et d'atelier des techniciens de l'ALPI : ordinateurs portables, pare-feu des écoles, migration CityFamily, remplacement des PC Windows"

export const TOPICS_FR: Record<string, string> = {
  db: 'La base : migrations, état, sauvegardes',
  audit: "Le journal d'audit : lister et vérifier la chaîne d'empreintes",
  config: 'Réglages du technicien (fichier de configuration XDG)',
  hosts: "Clés d'hôte SSH épinglées",
  laptops: "Reconditionner des ordinateurs donnés et les remettre par les lieux d'inclusion numérique",
  'laptops:beneficiaries': "Les personnes qui peuvent recevoir un ordinateur : les importer d'un lieu, purger les anciennes",
  'laptops:correct':
    'Corriger une erreur : annuler une remise ou une attribution, déclarer perdu ou retrouvé, redonner un grade, effacer de nouveau',
  'laptops:images': 'Les images de référence : les enregistrer, les lister et les vérifier',
  'laptops:lots': "Les lots d'ordinateurs donnés : les enregistrer, suivre leur état, écrire le bilan pour le donateur",
  'laptops:multicast': "Envoyer une image à de nombreux ordinateurs à la fois sur le réseau de l'atelier (udpcast)",
  'laptops:sites': "Les lieux d'inclusion numérique et leurs conventions : les importer et les lister",
  firewalls: 'Déployer et prouver les boîtiers de filtrage des écoles primaires',
  'firewalls:lists': 'Les listes de catégories UT1 que filtrent les boîtiers : les mettre à jour',
  'firewalls:schools': "Le registre des écoles : importer, lister et montrer les écoles et leur plan d'adressage",
  cityfamily: "Migrer les données enfance-jeunesse d'Abelium vers CityFamily",
  win7: 'Préparer le remplacement des vieux PC Windows des sites adhérents',
  'win7:catalog': "Le catalogue du fournisseur (LAFI) où sont commandés les PC de remplacement : l'importer",
  'win7:inventory': "Les anciens PC des adhérents : importer l'inventaire",
  'win7:member': 'La préparation propre à un adhérent (règle de nommage, domaine, OU, logiciels)',
}

/**
 * oclif's section headings in French (the flags' group "GLOBAL" gives "GLOBAL FLAGS"), and the
 * hints it writes around a flag: "<value>", "(required)", "[default: 8, env: ALPI_DB]",
 * "<options: a|b>", the COMMAND of a usage line. A no-break space before the colon, as French
 * typography wants (src/core/french.ts).
 */
export const HEADINGS_FR: Record<string, string> = {
  USAGE: 'UTILISATION',
  ARGUMENTS: 'ARGUMENTS',
  FLAGS: 'OPTIONS',
  'GLOBAL FLAGS': 'OPTIONS GLOBALES',
  DESCRIPTION: 'DESCRIPTION',
  ALIASES: 'ALIAS',
  EXAMPLES: 'EXEMPLES',
  'FLAG DESCRIPTIONS': 'DÉTAIL DES OPTIONS',
  COMMANDS: 'COMMANDES',
  TOPICS: 'THÈMES',
  VERSION: 'VERSION',
}

/** The no-break space of src/core/french.ts (not imported: the help loads nothing it does not need). */
const NBSP = '\u00A0'

export const HINTS_FR = {
  value: '<valeur>',
  option: '<choix>',
  date: 'AAAA-MM-JJ',
  command: 'COMMANDE',
  required: '(obligatoire)',
  default: `par défaut${NBSP}:`,
  env: `variable d'environnement${NBSP}:`,
  options: `choix${NBSP}:`,
}

/** EXIT_CODES_HELP of src/cli/base-command.ts in French: the same codes, line for line. */
export const EXIT_CODES_FR = `CODES DE SORTIE
  0    succès
  1    échec (le message dit quoi faire ensuite)
  2    erreur d'utilisation (option ou argument erroné ou manquant)
  3    des lignes de l'entrée ont été rejetées (voir le fichier des rejets) ; les autres ont été gardées
  4    échec partiel : certaines cibles ont échoué, les autres ont réussi (relancer reprend celles en échec)
  130  annulé`
