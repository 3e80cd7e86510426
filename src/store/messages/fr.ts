/** French texts of src/store/messages.ts (split by docs/tools/split-messages.mjs). */
import type * as en from './en.js'

export const MESSAGES: Record<keyof typeof en.MESSAGES, string> = {
  notFound: 'Aucune base à {path}',
  notFoundAction1: 'Vérifiez --db / ALPI_DB (alpi config path affiche la base par défaut).',
  notFoundAction2:
    'Une base est créée par la première commande qui enregistre quelque chose (par ex. alpi laptops import FICHIER), ou par alpi db migrate.',
  emptyFile: "{path} est un fichier vide, pas une base alpi : une commande qui ne fait que lire n'en fait jamais une base",
  emptyFileAction: 'Vérifiez --db / ALPI_DB ; pour créer une base à cet endroit, lancez `alpi db migrate --db {path}`.',
  notSqlite: "{path} n'est pas un fichier SQLite : ce n'est pas une base alpi, et il n'a pas été modifié",
  notSqliteAction: 'Vérifiez --db / ALPI_DB : il doit désigner une base alpi (un fichier SQLite) ou une URL postgres://.',
  foreignDb: "{path} est une base SQLite d'un autre programme (aucune table alpi) : elle n'a pas été modifiée",
  tooNew: 'Cette base a été écrite par un alpi plus récent (schéma {schema} ; cet alpi connaît le schéma {known}) : mettez alpi à jour',
  tooNewAction:
    "Installez la version d'alpi qu'utilisent les autres techniciens (npm install -g de la nouvelle version), puis recommencez. Rien n'a été modifié.",
  outdated:
    "Cette base est au schéma {schema}, cet alpi a besoin du schéma {known} : elle doit être migrée, ce qu'une commande qui ne fait que lire ne fait jamais",
  outdatedAction: 'Lancez `alpi db migrate` (ou une commande qui enregistre quelque chose), puis recommencez.',
  notMigrated: "{path} n'a pas encore de schéma alpi : rien à lire",
  cannotOpen: "Impossible d'ouvrir la base SQLite {path} : {detail}",
  cannotOpenAction:
    'Vérifiez que le fichier est une base alpi et que vous pouvez le lire (et écrire dans son dossier, pour les commandes qui enregistrent).',
  readOnlyMediaWal:
    "La base {path} est sur un support en lecture seule et n'a pas été fermée proprement (son fichier -wal est resté sans son fichier -shm) : elle ne peut pas y être lue sans risque",
  readOnlyMediaWalAction: 'Copiez la base avec son fichier -wal dans un dossier accessible en écriture et lancez la commande sur la copie.',
  pgConnect: 'Impossible de se connecter à PostgreSQL à {url} : {detail}',
  pgConnectAction: "Vérifiez que le serveur tourne, l'URL (hôte, port, base) et les identifiants.",
  waiting: "Attente d'un autre alpi qui écrit dans la base (jusqu'à {wait}, Ctrl-C pour arrêter)…",
  waitingNoCancel: "Attente d'un autre alpi qui écrit dans la base (jusqu'à {wait})…",
  lockTimeout: "Un autre programme écrit dans la base depuis plus de {wait} : attente abandonnée, rien n'a été modifié",
  lockTimeoutAction:
    'Vérifiez quel alpi tourne encore (un gros import, un processus bloqué) ; réglez ALPI_STORE_WAIT (en secondes) pour attendre plus longtemps.',
  migrationFailed: 'La migration {name} a échoué : {detail}',
  migrationFailedAction: "Rien de la migration échouée n'a été gardé. Vérifiez la base avec `alpi db status`, puis signalez l'erreur.",
  cancelledNothingKept: "{reason} : rien de la modification n'a été gardé",
  interrupted: 'Interrompu',
  noStore: 'Aucune base donnée',
  noStoreAction: 'Passez --db CHEMIN ou une URL postgres://, ou définissez ALPI_DB.',
  backupExists: "{path} existe déjà : une sauvegarde n'écrase jamais rien",
  backupExistsAction: 'Choisissez un autre chemin --output.',
}
