import {defineMessages, language, type Lang} from '../core/i18n.js'
import type {LaptopState} from './states.js'

/**
 * The laptops campaign's words, in English and French (the technicians are French: --lang fr
 * or LANG=fr_FR.UTF-8). The catalogs:
 * - LINES (`t`): the human lines of the commands (stdout and stderr);
 * - ERRORS (`msg`): the messages of the errors and refusals, and their actions;
 * - WARNINGS (`w`): the probe's warnings;
 * - STORED (`stored`): sentences kept in English in stored data (a snapshot's serial problem,
 *   the reason a probe source failed), shown in the person's language with `relocalize`;
 * - STATES (`stateName`): the lifecycle's states as a person reads them (English keeps the ids).
 * Error codes and error data never depend on the language; command lines stay as they are.
 * Never a beneficiary's name in a message: references and serials only.
 */

const LINES_EN = {
  importSummary: '{file}: {rows} row(s) read, {inserted} new {what}, {updated} updated, {unchanged} unchanged, {rejected} rejected{dry}',
  dryRun: ' (dry run: nothing written)',
  whatLaptops: 'laptop(s)',
  whatSites: 'site(s)',
  whatBeneficiaries: 'beneficiary(ies)',
  allocated: '{n} laptop(s) allocated to {site} (quota {quota}, {remaining} left)',
  handedOver: '{serial} handed over at {site}; receipt: {receipt}',
  handedOverBatch: '{file}: {n} of {rows} laptop(s) handed over, {rejected} row(s) rejected; receipts in {dir}{dry}',
  returned: '{serial}: {from} -> returned (grade it again before anything else)',
  purged: '{n} beneficiary record(s) purged (not updated since {since})',
  graded: '{serial}: {verdict} (cosmetic {cosmetic}) -> {state}',
  gradedSheet: '{file}: {rows} row(s) read, {n} laptop(s) graded: {ready} ready, {needs} needing a part, {scrap} to scrap; {rejected} rejected{dry}',
  cosmeticPrompt: 'Cosmetic grade (A like new, B light wear, C marked)?',
  wiped: '{serial}: {device} wiped by {method} ({level}), {bytes} bytes, verification {verification} ({blocks} blocks)',
  passed: 'passed',
  failed: 'FAILED',
  certificate: 'certificate: {json}\n             {pdf}',
  wipeConfirmOne: 'ALL DATA on {device} ({model}, {bytes} bytes, disk serial {serial}) of laptop {laptop} will be destroyed by {method}.',
  progressWipeOne: 'wipe {device}',
  progressWipeMany: 'wipe {n} disk(s)',
  progressVerify: 'verify {device}',
  progressReimageOne: 'reimage {image} to {device}',
  progressReimageMany: 'reimage {image} to {n} device(s)',
  progressReceipts: 'receipts',
  wipeConfirmLine: '  {device}  {model}  {bytes} bytes  disk {disk}  laptop {laptop} ({state})  {method}',
  wipeConfirmMany: 'ALL DATA on these {n} disks will be destroyed:\n{list}',
  wipeDiskOk: '{device} {serial}: wiped and verified ({level})',
  wipeDisksLeft: '{serial}: disk(s) still to wipe before the laptop counts as wiped: {disks}',
  wipeDiskNotVerified: '{device} {serial}: NOT VERIFIED ({level})',
  wipeDiskFailed: '{device} {serial}: FAILED - {message}',
  reimageConfirm: 'Overwrite {list} with image {image}?',
  reimageTarget: '{device} (laptop {laptop})',
  reimaged: '{device} {laptop}: {status}, {bytes} bytes, read back {match} -> {state}',
  matches: 'matches',
  differs: 'DIFFERS',
  statusTotal: 'Laptops: {n}',
  snapshotsStored: '{stored} snapshot(s) stored, {created} new laptop(s) recorded as received',
  recordedNew: 'Recorded as a new laptop (received).',
  snapshotStored: 'Snapshot stored.',
  report: 'report: {file} ({n} laptops)',
}
type LineKey = keyof typeof LINES_EN

export const LINES: {en: Record<LineKey, string>; fr: Record<LineKey, string>} = {
  en: LINES_EN,
  fr: {
    importSummary: '{file} : {rows} ligne(s) lue(s), {inserted} {what} nouveau(x), {updated} modifié(s), {unchanged} inchangé(s), {rejected} rejetée(s){dry}',
    dryRun: ' (essai : rien n\'est écrit)',
    whatLaptops: 'ordinateur(s)',
    whatSites: 'lieu(x)',
    whatBeneficiaries: 'bénéficiaire(s)',
    allocated: '{n} ordinateur(s) attribué(s) à {site} (quota {quota}, reste {remaining})',
    handedOver: '{serial} remis à {site} ; attestation : {receipt}',
    handedOverBatch: '{file} : {n} ordinateur(s) sur {rows} remis, {rejected} ligne(s) rejetée(s) ; attestations dans {dir}{dry}',
    returned: '{serial} : {from} -> retourné (à diagnostiquer de nouveau avant toute chose)',
    purged: '{n} fiche(s) de bénéficiaire supprimée(s) (sans mise à jour depuis le {since})',
    graded: '{serial} : {verdict} (esthétique {cosmetic}) -> {state}',
    gradedSheet: '{file} : {rows} ligne(s) lue(s), {n} ordinateur(s) évalué(s) : {ready} prêt(s), {needs} en attente de pièce, {scrap} à réformer ; {rejected} rejetée(s){dry}',
    cosmeticPrompt: 'Grade esthétique (A comme neuf, B usure légère, C marqué) ?',
    wiped: '{serial} : {device} effacé par {method} ({level}), {bytes} octets, vérification {verification} ({blocks} blocs)',
    passed: 'conforme',
    failed: 'NON CONFORME',
    certificate: 'certificat : {json}\n              {pdf}',
    wipeConfirmOne: 'TOUTES LES DONNÉES de {device} ({model}, {bytes} octets, disque n° {serial}) de l\'ordinateur {laptop} seront détruites ({method}).',
    progressWipeOne: 'effacement {device}',
    progressWipeMany: 'effacement de {n} disque(s)',
    progressVerify: 'vérification {device}',
    progressReimageOne: 'image {image} vers {device}',
    progressReimageMany: 'image {image} vers {n} périphérique(s)',
    progressReceipts: 'attestations',
    wipeConfirmLine: '  {device}  {model}  {bytes} octets  disque {disk}  ordinateur {laptop} ({state})  {method}',
    wipeConfirmMany: 'TOUTES LES DONNÉES de ces {n} disques seront détruites :\n{list}',
    wipeDiskOk: '{device} {serial} : effacé et vérifié ({level})',
    wipeDisksLeft: '{serial} : disque(s) encore à effacer avant que l\'ordinateur soit compté comme effacé : {disks}',
    wipeDiskNotVerified: '{device} {serial} : NON VÉRIFIÉ ({level})',
    wipeDiskFailed: '{device} {serial} : ÉCHEC - {message}',
    reimageConfirm: 'Écraser {list} avec l\'image {image} ?',
    reimageTarget: '{device} (ordinateur {laptop})',
    reimaged: '{device} {laptop} : {status}, {bytes} octets, relecture {match} -> {state}',
    matches: 'conforme',
    differs: 'DIFFÉRENTE',
    statusTotal: 'Ordinateurs : {n}',
    snapshotsStored: '{stored} relevé(s) enregistré(s), {created} nouvel(s) ordinateur(s) enregistré(s) comme reçu(s)',
    recordedNew: 'Enregistré comme nouvel ordinateur (reçu).',
    snapshotStored: 'Relevé enregistré.',
    report: 'rapport : {file} ({n} ordinateurs)',
  },
}

/** The human lines of the laptops commands (stdout and stderr), in English and French. */
export const t = defineMessages(LINES)

const ERRORS_EN = {
  // lifecycle (states come translated through stateName)
  transitionNever: 'Laptop {serial} is {from}: it can never become {to}',
  transitionNeverScrapped: 'A scrapped laptop stays scrapped; take another one.',
  transitionNeverCheck: 'Check the laptop\'s state with `alpi laptops show {serial}`.',
  transitionRefused: 'Laptop {serial} is {from}: it must be {steps} before it can be {to}',
  transitionThen: ', then ',
  transitionStep: '{state}: {how}',
  stepGrade: '{command} (diagnosis: probe + grade)',
  stepReady: 'a verified reimage of a laptop graded "ready" with a cosmetic grade',
  // records
  noLaptop: 'No laptop with serial {serial}',
  noLaptopAction: 'Check the serial (dmidecode -s system-serial-number), or record the laptop with `alpi laptops import FILE`.',
  // devices
  notBlockDevice: '{device} is not a block device',
  notBlockDeviceAction: 'List the disks with `lsblk -d -o NAME,SIZE,MODEL,SERIAL` and pass --device /dev/NAME.',
  lsblkNotDescribed: 'lsblk did not describe {device}',
  lsblkNotDescribedAction: 'Check the device with `lsblk DEVICE`.',
  deviceSerialLoopOnly: '--device-serial is only accepted for loop devices (test devices)',
  deviceSerialLoopOnlyAction: 'Remove --device-serial: a real disk reports its own serial.',
  isPartition: '{device} is a partition: {what} works on whole disks',
  isPartitionAction: 'Pass the disk itself (lsblk shows it as the parent).',
  opWipe: 'the wipe',
  opReimage: 'reimage',
  deviceIsSystem: '{device} holds the system alpi runs from: refused',
  deviceIsSystemAction: 'Boot the laptop from the alpi USB key, then wipe its internal disk.',
  deviceInUse: '{device} is in use ({uses}): refused',
  deviceInUseAction: 'Unmount it first (umount {device}*), or check you named the right disk.',
  deviceUnknown: '{device} (serial {serial}) is the disk of no recorded laptop',
  deviceUnknownNoSerial: '{device} (serial none) is the disk of no recorded laptop',
  deviceUnknownWipeAction: 'Probe the laptop first (alpi laptops probe) so its disk serial is known, or name the laptop with --serial.',
  deviceUnknownReimageAction: 'Probe the laptop first (alpi laptops probe) so its disk serial is known.',
  diskAmbiguous: 'Disk serial {serial} is an internal disk of several laptops ({laptops}): refused',
  diskAmbiguousAction: 'A disk moved from one laptop to another: probe the laptop it is in now again (alpi laptops probe), or name the laptop with --serial.',
  noDevice: 'No --device given',
  noDeviceAction: 'Pass --device /dev/sdX (repeat it for several disks).',
  deviceTwice: 'The same device is given twice',
  deviceTwiceAction: 'Give each --device once.',
  // wipe
  diskSerialMismatch: '{device} has serial {serial}, not a disk of laptop {laptop} ({expected})',
  diskSerialMismatchNoSerial: '{device} has serial (none), not a disk of laptop {laptop} ({expected})',
  noDiskInSnapshot: 'no disk in its snapshot',
  diskSerialMismatchAction: 'Check that the disk in the dock is the one of this laptop, or probe the laptop again.',
  diskSerialMismatchProbeAction: 'Probe the laptop first: alpi laptops probe (on it), then grade it.',
  wipeNotVerified: 'The wipe of {device} was not verified ({mismatches} block(s) differ, {errors} write error(s)): the laptop stays {state}',
  wipeNotVerifiedAction: 'Run the wipe again; if it fails again the disk is faulty: replace it (laptops grade) or destroy it.',
  wipePartial: '{failed} of {total} disk(s) not wiped: {list}',
  wipePartialAction: 'Wipe the failed disks again (alpi laptops wipe --device DEV); a disk failing twice is faulty: replace it or destroy it.',
  wipeInterrupted: 'Wipe interrupted: the disk is partly overwritten, run the wipe again',
  wipeNotStarted: 'Interrupted before this disk\'s turn: nothing was written to it',
  wipeBatchCancelled: 'Interrupted: {ok} disk(s) wiped and certified, {failed} not (wipe those again)',
  sanitizeFailed: 'The NVMe sanitize operation failed',
  sanitizeFailedAction: 'Retry; if it fails again replace or destroy the disk.',
  sanitizeTimeout: 'The NVMe sanitize did not finish in 4 hours',
  sanitizeTimeoutAction: 'Check the disk\'s sanitize status (nvme sanitize-log DEV); if it is stuck, replace or destroy the disk.',
  wipeSeveralNamed: '--serial and --device-serial name one disk: with several --device, each laptop is found from its disk\'s serial',
  wipeSeveralNamedAction: 'Remove --serial (and --device-serial), or wipe one disk at a time.',
  // reimage, images, multicast
  deviceTooSmall: '{device} holds {size} bytes, the image {imageSize}',
  deviceTooSmallAction: 'Use a bigger disk or a smaller image.',
  twoDevicesOneLaptop: 'Two devices belong to laptop {serial}',
  twoDevicesOneLaptopAction: 'Give one device per laptop.',
  readBackMismatch: 'read-back hash {sha}... differs from the image\'s',
  reimagePartial: '{failed} of {total} device(s) failed: {list}',
  reimagePartialAction: 'Run reimage again for the failed devices only; a disk failing twice needs replacing.',
  sourceImageFile: 'the image file {path}',
  sourceMulticast: 'the multicast stream',
  imageChangedStream: 'The data from {source} does not match image {name}\'s recorded hash and size ({bytes} bytes received)',
  imageChangedSize: 'The data from the image file {path} does not match image {name}\'s recorded size ({written} bytes written, {size} expected)',
  imageChangedAction: 'Check it with `alpi laptops images verify {name}`; add the right file under a new name.',
  imageBadName: 'Image name "{name}" must be letters, digits, dot, dash, underscore',
  imageBadNameAction: 'Pick a name like mint-21.3-xfce-2026-11.',
  imageNotFile: '{file} is not a file',
  imageNotFileAction: 'Give the path of a .img or .img.zst file.',
  imageEmpty: '{file} is empty',
  imageEmptyAction: 'Give a disk image.',
  imageNameTaken: 'An image {name} with other content exists (sha256 {sha}...)',
  imageNameTakenAction: 'Give the new image a new name (images are never silently replaced).',
  noImage: 'No image named {name}',
  noImageAction: 'List them with `alpi laptops images list`, add one with `alpi laptops images add NAME FILE`.',
  imageFileMissing: 'file {path} is missing',
  imageContentDiffers: 'content differs from the recorded hash',
  imageCorrupt: 'Image {name}: {problem}',
  imageCorruptAction: 'Copy the image again from its source, or add the right file under a new name.',
  imageDamagedAction: 'Check the image file (zstd -t FILE); copy it again if it is damaged.',
  minReceivers: '--min-receivers must be at least 1',
  minReceiversAction: 'Pass --min-receivers N (the number of laptops in the batch).',
  udpSenderAction: 'Check the interface name (ip -br link) and that the receivers are on the same segment.',
  udpReceiverAction: 'Check the interface and that a sender runs for this image.',
  streamDamagedAction: 'The stream was damaged: receive again.',
  // giving
  noSite: 'No site with code {site}',
  noSiteAction: 'List the sites with `alpi laptops sites list`, or import them with `alpi laptops sites import FILE`.',
  noSiteImportAction: 'Import the sites with `alpi laptops sites import FILE`.',
  conventionNotStarted: 'The convention {convention} of site {site} only starts on {date}',
  conventionNotStartedAction: 'Wait for the convention to take effect, or correct its signature date in the sites file and re-import it.',
  conventionExpired: 'The convention {convention} of site {site} ended on {date}',
  conventionExpiredAction: 'Have the convention renewed, then import the sites file with the new end date (`alpi laptops sites import FILE`).',
  countInvalid: '--count must be a whole number of at least 1',
  countInvalidAction: 'Pass --count N.',
  quotaExceeded: 'Site {site} has {left} place(s) left under convention {convention} (quota {quota}, {used} given or allocated): {asked} asked',
  quotaExceededAction: 'Allocate at most {left} (--count {left}).',
  quotaReachedAction: 'The quota is reached: an amendment to the convention must raise it first.',
  notEnoughReady: 'Only {ready} laptop(s) are ready: {asked} asked for site {site}',
  notEnoughReadyAction: 'Allocate fewer, or prepare more laptops (grade, wipe, reimage); `alpi laptops status` shows where they are.',
  notWiped: 'Laptop {serial} has no wipe certificate: it cannot be handed over',
  notWipedAction: 'Wipe it first: alpi laptops wipe --device DEV --serial {serial}',
  noActiveTraining: 'Beneficiary {ref} has no started training path (parcours de formation)',
  noActiveTrainingAction: 'Enrol the person in a digital-skills training path, then re-import the beneficiaries with its reference and start date.',
  wrongSite: 'Laptop {serial} is allocated to site {laptopSite}, beneficiary {ref} belongs to site {site}',
  wrongSiteAction: 'Pick a laptop allocated to site {site} (alpi laptops status), or allocate one: alpi laptops allocate --site {site} --count 1',
  alreadyEquipped: 'Beneficiary {ref} already holds laptop {held}',
  alreadyEquippedAction: 'One laptop per person: record the return of {held} first (alpi laptops return {held}) if it is being replaced.',
  alreadyEquippedInFile: 'Beneficiary {ref} is given laptop {held} earlier in this file',
  laptopTwiceInFile: 'Laptop {serial} is handed over earlier in this file',
  noBeneficiary: 'No beneficiary {ref}',
  noBeneficiaryAction: 'Import the site\'s list with `alpi laptops beneficiaries import FILE`.',
  receiptsInterrupted: 'Interrupted while writing the receipts: nothing was handed over',
  olderThanInvalid: '--older-than must be a number of days of at least 1',
  olderThanInvalidAction: 'Pass --older-than 365 (days), or 12m / 3y.',
  handoverBoth: 'Give a SERIAL with --beneficiary, or --from FILE, not both',
  handoverMissing: 'Give a SERIAL and --beneficiary REF, or --from FILE',
  // grade
  cosmeticInvalid: 'Cosmetic grade "{grade}" is not A, B or C',
  cosmeticInvalidAction: 'Pass --cosmetic A, B or C.',
  cosmeticChoices: 'A, B or C',
  noSnapshot: 'Laptop {serial} has no hardware snapshot',
  noSnapshotAction: 'Probe it first: alpi laptops probe (on the laptop) or alpi laptops probe --ssh root@HOST, or --from FILE --serial {serial}',
  gradeMissing: 'Give a SERIAL or --sheet FILE',
  // import files (rejected rows)
  codeChars: 'letters, digits, dot, dash or underscore only',
  wholeNumber: 'a whole number',
  conventionEndsBeforeSigned: 'the convention ends before it is signed',
  unknownSite: 'unknown site: import it first with `alpi laptops sites import`',
  // probe
  serialNeeded: 'No usable serial from the firmware ({reason}): give the label\'s serial with --serial',
  serialFlagBad: '--serial {serial} is not usable ({reason})',
  serialLabelAction: 'Read the serial on the label under the laptop and pass it: --serial SERIAL',
  lsblkFailed: 'lsblk failed on {where} (exit {code}): {detail}',
  lsblkFailedAction: 'Check that util-linux is installed.',
  notSnapshot: '{where} is not a probe snapshot: {path} {problem}',
  notSnapshotAction: 'Pass the output of `alpi laptops probe --json` (one per line for several).',
  fileLine: '{file} line {line}',
  notJson: '{file} line {line} is not JSON: {detail}',
  notJsonAction: 'Pass one JSON snapshot, or JSON lines (one snapshot per line).',
  snapshotNoSerial: 'A snapshot has no usable serial ({reason})',
  snapshotNoSerialAction: 'Store that one alone with --serial SERIAL.',
  noSnapshotInFile: '{file} holds no snapshot',
  noSnapshotInFileAction: 'Pass the output of `alpi laptops probe --json`.',
  serialOneSnapshot: '--serial applies to one snapshot, the file holds several',
  serialOneSnapshotAction: 'Remove --serial.',
  sshNotTarget: '--ssh {value} is not user@host[:port]',
  sshNotTargetAction: 'Pass --ssh root@192.0.2.10',
}
type ErrorKey = keyof typeof ERRORS_EN

export const ERRORS: {en: Record<ErrorKey, string>; fr: Record<ErrorKey, string>} = {
  en: ERRORS_EN,
  fr: {
    transitionNever: 'L\'ordinateur {serial} est {from} : il ne pourra jamais être {to}',
    transitionNeverScrapped: 'Un ordinateur réformé le reste ; prenez-en un autre.',
    transitionNeverCheck: 'Vérifiez l\'état de l\'ordinateur avec `alpi laptops show {serial}`.',
    transitionRefused: 'L\'ordinateur {serial} est {from} : il doit être {steps} avant de pouvoir être {to}',
    transitionThen: ', puis ',
    transitionStep: '{state} : {how}',
    stepGrade: '{command} (diagnostic : probe puis grade)',
    stepReady: 'automatique après un reimage vérifié, pour un ordinateur jugé « prêt » au diagnostic et doté d\'un grade esthétique',
    noLaptop: 'Aucun ordinateur avec le numéro de série {serial}',
    noLaptopAction: 'Vérifiez le numéro de série (dmidecode -s system-serial-number), ou enregistrez l\'ordinateur avec `alpi laptops import FILE`.',
    notBlockDevice: '{device} n\'est pas un disque (périphérique en mode bloc)',
    notBlockDeviceAction: 'Listez les disques avec `lsblk -d -o NAME,SIZE,MODEL,SERIAL` et passez --device /dev/NOM.',
    lsblkNotDescribed: 'lsblk n\'a pas décrit {device}',
    lsblkNotDescribedAction: 'Vérifiez le périphérique avec `lsblk DEVICE`.',
    deviceSerialLoopOnly: '--device-serial n\'est accepté que pour les périphériques loop (périphériques de test)',
    deviceSerialLoopOnlyAction: 'Retirez --device-serial : un vrai disque donne lui-même son numéro de série.',
    isPartition: '{device} est une partition : {what} porte sur des disques entiers',
    isPartitionAction: 'Passez le disque lui-même (lsblk l\'affiche comme parent).',
    opWipe: 'l\'effacement',
    opReimage: 'la réinstallation de l\'image',
    deviceIsSystem: '{device} contient le système sur lequel alpi tourne : refusé',
    deviceIsSystemAction: 'Démarrez l\'ordinateur sur la clé USB alpi, puis effacez son disque interne.',
    deviceInUse: '{device} est en cours d\'utilisation ({uses}) : refusé',
    deviceInUseAction: 'Démontez-le d\'abord (umount {device}*), ou vérifiez que vous avez désigné le bon disque.',
    deviceUnknown: '{device} (n° de série {serial}) n\'est le disque d\'aucun ordinateur enregistré',
    deviceUnknownNoSerial: '{device} (sans numéro de série) n\'est le disque d\'aucun ordinateur enregistré',
    deviceUnknownWipeAction: 'Faites d\'abord le relevé de l\'ordinateur (alpi laptops probe) pour que le numéro de série de son disque soit connu, ou désignez l\'ordinateur avec --serial.',
    deviceUnknownReimageAction: 'Faites d\'abord le relevé de l\'ordinateur (alpi laptops probe) pour que le numéro de série de son disque soit connu.',
    diskAmbiguous: 'Le disque n° {serial} est un disque interne de plusieurs ordinateurs ({laptops}) : refusé',
    diskAmbiguousAction: 'Un disque a changé d\'ordinateur : refaites le relevé de celui où il se trouve maintenant (alpi laptops probe), ou désignez l\'ordinateur avec --serial.',
    noDevice: 'Aucun --device donné',
    noDeviceAction: 'Passez --device /dev/sdX (à répéter pour plusieurs disques).',
    deviceTwice: 'Le même périphérique est donné deux fois',
    deviceTwiceAction: 'Donnez chaque --device une seule fois.',
    diskSerialMismatch: '{device} a le numéro de série {serial} : ce n\'est pas un disque de l\'ordinateur {laptop} ({expected})',
    diskSerialMismatchNoSerial: '{device} n\'a pas de numéro de série : ce n\'est pas un disque connu de l\'ordinateur {laptop} ({expected})',
    noDiskInSnapshot: 'aucun disque dans son relevé',
    diskSerialMismatchAction: 'Vérifiez que le disque branché sur la station d\'accueil est bien celui de cet ordinateur, ou refaites son relevé.',
    diskSerialMismatchProbeAction: 'Faites d\'abord le relevé de l\'ordinateur : alpi laptops probe (sur l\'ordinateur), puis évaluez-le (grade).',
    wipeNotVerified: 'L\'effacement de {device} n\'a pas pu être vérifié ({mismatches} bloc(s) différent(s), {errors} erreur(s) d\'écriture) : l\'ordinateur reste {state}',
    wipeNotVerifiedAction: 'Relancez l\'effacement ; s\'il échoue encore, le disque est défectueux : remplacez-le (laptops grade) ou détruisez-le.',
    wipePartial: '{failed} disque(s) sur {total} non effacé(s) : {list}',
    wipePartialAction: 'Effacez de nouveau les disques en échec (alpi laptops wipe --device DEV) ; un disque qui échoue deux fois est défectueux : remplacez-le ou détruisez-le.',
    wipeInterrupted: 'Effacement interrompu : le disque est partiellement écrasé, relancez l\'effacement',
    wipeNotStarted: 'Interrompu avant le tour de ce disque : rien n\'y a été écrit',
    wipeBatchCancelled: 'Interrompu : {ok} disque(s) effacé(s) et certifié(s), {failed} non (effacez-les de nouveau)',
    sanitizeFailed: 'L\'opération NVMe sanitize a échoué',
    sanitizeFailedAction: 'Réessayez ; si elle échoue encore, remplacez ou détruisez le disque.',
    sanitizeTimeout: 'L\'opération NVMe sanitize n\'est pas terminée au bout de 4 heures',
    sanitizeTimeoutAction: 'Vérifiez l\'état du sanitize du disque (nvme sanitize-log DEV) ; s\'il est bloqué, remplacez ou détruisez le disque.',
    wipeSeveralNamed: '--serial et --device-serial désignent un seul disque : avec plusieurs --device, chaque ordinateur est retrouvé par le numéro de série de son disque',
    wipeSeveralNamedAction: 'Retirez --serial (et --device-serial), ou effacez un disque à la fois.',
    deviceTooSmall: '{device} fait {size} octets, l\'image {imageSize}',
    deviceTooSmallAction: 'Prenez un disque plus grand ou une image plus petite.',
    twoDevicesOneLaptop: 'Deux périphériques appartiennent à l\'ordinateur {serial}',
    twoDevicesOneLaptopAction: 'Donnez un seul périphérique par ordinateur.',
    readBackMismatch: 'l\'empreinte relue {sha}... diffère de celle de l\'image',
    reimagePartial: '{failed} périphérique(s) sur {total} en échec : {list}',
    reimagePartialAction: 'Relancez reimage pour les seuls périphériques en échec ; un disque qui échoue deux fois est à remplacer.',
    sourceImageFile: 'le fichier image {path}',
    sourceMulticast: 'le flux multicast',
    imageChangedStream: 'Les données lues depuis {source} ne correspondent pas à l\'empreinte et à la taille enregistrées de l\'image {name} ({bytes} octets reçus)',
    imageChangedSize: 'Les données du fichier image {path} ne correspondent pas à la taille enregistrée de l\'image {name} ({written} octets écrits, {size} attendus)',
    imageChangedAction: 'Vérifiez-la avec `alpi laptops images verify {name}` ; ajoutez le bon fichier sous un nouveau nom.',
    imageBadName: 'Le nom d\'image « {name} » ne peut contenir que des lettres, des chiffres, des points, des tirets et des soulignés',
    imageBadNameAction: 'Choisissez un nom comme mint-21.3-xfce-2026-11.',
    imageNotFile: '{file} n\'est pas un fichier',
    imageNotFileAction: 'Donnez le chemin d\'un fichier .img ou .img.zst.',
    imageEmpty: '{file} est vide',
    imageEmptyAction: 'Donnez une image disque.',
    imageNameTaken: 'Une image {name} au contenu différent existe déjà (sha256 {sha}...)',
    imageNameTakenAction: 'Donnez un autre nom à la nouvelle image (une image n\'est jamais remplacée en silence).',
    noImage: 'Aucune image nommée {name}',
    noImageAction: 'Listez-les avec `alpi laptops images list`, ajoutez-en une avec `alpi laptops images add NAME FILE`.',
    imageFileMissing: 'le fichier {path} est absent',
    imageContentDiffers: 'le contenu diffère de l\'empreinte enregistrée',
    imageCorrupt: 'Image {name} : {problem}',
    imageCorruptAction: 'Copiez de nouveau l\'image depuis sa source, ou ajoutez le bon fichier sous un nouveau nom.',
    imageDamagedAction: 'Vérifiez le fichier image (zstd -t FILE) ; copiez-le de nouveau s\'il est endommagé.',
    minReceivers: '--min-receivers doit valoir au moins 1',
    minReceiversAction: 'Passez --min-receivers N (le nombre d\'ordinateurs du lot).',
    udpSenderAction: 'Vérifiez le nom de l\'interface (ip -br link) et que les récepteurs sont sur le même segment réseau.',
    udpReceiverAction: 'Vérifiez l\'interface et qu\'un émetteur diffuse bien cette image.',
    streamDamagedAction: 'Le flux a été endommagé : recommencez la réception.',
    noSite: 'Aucun lieu avec le code {site}',
    noSiteAction: 'Listez les lieux avec `alpi laptops sites list`, ou importez-les avec `alpi laptops sites import FILE`.',
    noSiteImportAction: 'Importez les lieux avec `alpi laptops sites import FILE`.',
    conventionNotStarted: 'La convention {convention} du lieu {site} ne prend effet que le {date}',
    conventionNotStartedAction: 'Attendez l\'entrée en vigueur de la convention, ou corrigez sa date de signature dans le fichier des lieux et réimportez-le.',
    conventionExpired: 'La convention {convention} du lieu {site} a pris fin le {date}',
    conventionExpiredAction: 'Faites renouveler la convention, puis importez le fichier des lieux avec la nouvelle date de fin (`alpi laptops sites import FILE`).',
    countInvalid: '--count doit être un nombre entier d\'au moins 1',
    countInvalidAction: 'Passez --count N.',
    quotaExceeded: 'Il reste {left} place(s) au lieu {site} au titre de la convention {convention} (quota {quota}, {used} remis ou attribués) : {asked} demandé(s)',
    quotaExceededAction: 'Attribuez-en au plus {left} (--count {left}).',
    quotaReachedAction: 'Le quota est atteint : un avenant à la convention doit d\'abord le relever.',
    notEnoughReady: 'Seulement {ready} ordinateur(s) prêt(s) : {asked} demandé(s) pour le lieu {site}',
    notEnoughReadyAction: 'Attribuez-en moins, ou préparez d\'autres ordinateurs (grade, wipe, reimage) ; `alpi laptops status` montre où ils en sont.',
    notWiped: 'L\'ordinateur {serial} n\'a pas de certificat d\'effacement : il ne peut pas être remis',
    notWipedAction: 'Effacez-le d\'abord : alpi laptops wipe --device DEV --serial {serial}',
    noActiveTraining: 'Le bénéficiaire {ref} n\'a pas de parcours de formation commencé',
    noActiveTrainingAction: 'Inscrivez la personne à un parcours de formation aux usages numériques, puis réimportez les bénéficiaires avec la référence et la date de début du parcours.',
    wrongSite: 'L\'ordinateur {serial} est attribué au lieu {laptopSite}, le bénéficiaire {ref} relève du lieu {site}',
    wrongSiteAction: 'Prenez un ordinateur attribué au lieu {site} (alpi laptops status), ou attribuez-en un : alpi laptops allocate --site {site} --count 1',
    alreadyEquipped: 'Le bénéficiaire {ref} a déjà l\'ordinateur {held}',
    alreadyEquippedAction: 'Un ordinateur par personne : enregistrez d\'abord le retour de {held} (alpi laptops return {held}) s\'il est remplacé.',
    alreadyEquippedInFile: 'Le bénéficiaire {ref} reçoit déjà l\'ordinateur {held} plus haut dans ce fichier',
    laptopTwiceInFile: 'L\'ordinateur {serial} est déjà remis plus haut dans ce fichier',
    noBeneficiary: 'Aucun bénéficiaire {ref}',
    noBeneficiaryAction: 'Importez la liste du lieu avec `alpi laptops beneficiaries import FILE`.',
    receiptsInterrupted: 'Interrompu pendant l\'écriture des attestations : rien n\'a été remis',
    olderThanInvalid: '--older-than doit être un nombre de jours d\'au moins 1',
    olderThanInvalidAction: 'Passez --older-than 365 (jours), ou 12m / 3y (mois, années).',
    handoverBoth: 'Donnez soit un SERIAL avec --beneficiary, soit --from FILE, pas les deux',
    handoverMissing: 'Donnez un SERIAL et --beneficiary REF, ou --from FILE',
    cosmeticInvalid: 'Le grade esthétique « {grade} » n\'est pas A, B ou C',
    cosmeticInvalidAction: 'Passez --cosmetic A, B ou C.',
    cosmeticChoices: 'A, B ou C',
    noSnapshot: 'L\'ordinateur {serial} n\'a pas de relevé matériel',
    noSnapshotAction: 'Faites d\'abord son relevé : alpi laptops probe (sur l\'ordinateur) ou alpi laptops probe --ssh root@HOST, ou --from FILE --serial {serial}',
    gradeMissing: 'Donnez un SERIAL ou --sheet FILE',
    codeChars: 'lettres, chiffres, point, tiret ou souligné uniquement',
    wholeNumber: 'un nombre entier',
    conventionEndsBeforeSigned: 'la convention prend fin avant d\'être signée',
    unknownSite: 'lieu inconnu : importez-le d\'abord avec `alpi laptops sites import`',
    serialNeeded: 'Pas de numéro de série utilisable dans le micrologiciel ({reason}) : donnez celui de l\'étiquette avec --serial',
    serialFlagBad: '--serial {serial} n\'est pas utilisable ({reason})',
    serialLabelAction: 'Lisez le numéro de série sur l\'étiquette sous l\'ordinateur et passez-le : --serial SERIAL',
    lsblkFailed: 'lsblk a échoué sur {where} (code {code}) : {detail}',
    lsblkFailedAction: 'Vérifiez que util-linux est installé.',
    notSnapshot: '{where} n\'est pas un relevé de probe : {path} {problem}',
    notSnapshotAction: 'Passez la sortie de `alpi laptops probe --json` (une par ligne s\'il y en a plusieurs).',
    fileLine: '{file} ligne {line}',
    notJson: '{file} ligne {line} n\'est pas du JSON : {detail}',
    notJsonAction: 'Passez un relevé JSON, ou des lignes JSON (un relevé par ligne).',
    snapshotNoSerial: 'Un relevé n\'a pas de numéro de série utilisable ({reason})',
    snapshotNoSerialAction: 'Enregistrez celui-là seul avec --serial SERIAL.',
    noSnapshotInFile: '{file} ne contient aucun relevé',
    noSnapshotInFileAction: 'Passez la sortie de `alpi laptops probe --json`.',
    serialOneSnapshot: '--serial vaut pour un seul relevé, or le fichier en contient plusieurs',
    serialOneSnapshotAction: 'Retirez --serial.',
    sshNotTarget: '--ssh {value} n\'est pas de la forme user@host[:port]',
    sshNotTargetAction: 'Passez --ssh root@192.0.2.10',
  },
}

/** The messages of the errors and refusals, and their actions (the codes never change). */
export const msg = defineMessages(ERRORS)

const WARNINGS_EN = {
  dmiFailed: 'dmidecode gave no system facts on {where} ({reason}): serial, maker, model and UUID unknown',
  dmiSerial: 'no usable serial in the firmware of {where} ({reason})',
  ramFromMeminfo: 'RAM of {where} estimated from /proc/meminfo: MemTotal {kb} kB, rounded up to {gib} GiB',
  cpuFromCpuinfo: 'CPU of {where} read from /proc/cpuinfo',
  fallbackFailed: '{file} unreadable on {where} ({reason}): {what} unknown',
  noSmart: 'no SMART data for {disk} on {where} ({reason})',
  toolMissing: '{tool} missing on {where} ({reason})',
  here: 'this machine',
}
type WarningKey = keyof typeof WARNINGS_EN

export const WARNINGS: {en: Record<WarningKey, string>; fr: Record<WarningKey, string>} = {
  en: WARNINGS_EN,
  fr: {
    dmiFailed: 'dmidecode n\'a donné aucune information système sur {where} ({reason}) : numéro de série, fabricant, modèle et UUID inconnus',
    dmiSerial: 'pas de numéro de série utilisable dans le micrologiciel de {where} ({reason})',
    ramFromMeminfo: 'RAM de {where} estimée d\'après /proc/meminfo : MemTotal {kb} kB, arrondi à {gib} Gio',
    cpuFromCpuinfo: 'processeur de {where} lu dans /proc/cpuinfo',
    fallbackFailed: '{file} illisible sur {where} ({reason}) : {what} inconnu(e)',
    noSmart: 'pas de données SMART pour {disk} sur {where} ({reason})',
    toolMissing: '{tool} absent sur {where} ({reason})',
    here: 'cette machine',
  },
}

/** The probe's warnings (stored in English in the snapshot, told in the person's language). */
export const w = defineMessages(WARNINGS)

/**
 * Sentences stored in English (in a probe snapshot, in error data) and shown translated with
 * `relocalize`. Order matters where one template is a prefix of another: the longer first.
 */
const STORED_EN = {
  serialEmpty: 'serial is empty',
  serialPlaceholder: '"{serial}" is a firmware placeholder, not a serial: read the label under the laptop',
  serialRepeats: '"{serial}" repeats one character: a placeholder, not a serial',
  serialChars: '"{serial}" has characters or a length no serial has',
  dmiNoFacts: 'dmidecode gave no system facts: {reason}',
  dmiNoRecord: 'no System Information record: {detail}',
  smartNoJsonDetail: 'no JSON from smartctl (exit {code}: {detail})',
  smartNoJson: 'no JSON from smartctl (exit {code})',
  exitDetail: 'exit {code}: {detail}',
  noOutput: 'no output',
  emptyOutput: 'empty output',
  noMemTotal: 'no MemTotal line',
  noProcessor: 'no processor entry',
  mountedOn: 'mounted on {mount}',
  usedAsSwap: 'used as swap',
}
type StoredKey = keyof typeof STORED_EN

export const STORED: {en: Record<StoredKey, string>; fr: Record<StoredKey, string>} = {
  en: STORED_EN,
  fr: {
    serialEmpty: 'le numéro de série est vide',
    serialPlaceholder: '« {serial} » est une valeur par défaut du micrologiciel, pas un numéro de série : lisez l\'étiquette sous l\'ordinateur',
    serialRepeats: '« {serial} » répète un seul caractère : une valeur par défaut, pas un numéro de série',
    serialChars: '« {serial} » a des caractères ou une longueur qu\'aucun numéro de série n\'a',
    dmiNoFacts: 'dmidecode n\'a donné aucune information système : {reason}',
    dmiNoRecord: 'aucun enregistrement « System Information » : {detail}',
    smartNoJsonDetail: 'smartctl n\'a pas répondu en JSON (code {code} : {detail})',
    smartNoJson: 'smartctl n\'a pas répondu en JSON (code {code})',
    exitDetail: 'code de sortie {code} : {detail}',
    noOutput: 'aucune sortie',
    emptyOutput: 'sortie vide',
    noMemTotal: 'pas de ligne MemTotal',
    noProcessor: 'aucune entrée processor',
    mountedOn: 'monté sur {mount}',
    usedAsSwap: 'utilisé comme swap',
  },
}

/** A stored sentence; render it with lang 'en' for what is stored, `relocalize` to show it. */
export const stored = defineMessages(STORED)

/** Parameters that may themselves be stored sentences (translated in turn). */
const NESTED = new Set(['reason', 'detail'])

const PATTERNS = (Object.keys(STORED_EN) as StoredKey[]).map((key) => {
  const names: string[] = []
  const source = STORED_EN[key]
    .split(/\{(\w+)\}/)
    .map((part, i) => (i % 2 === 1 ? (names.push(part), '([\\s\\S]*?)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return {key, names, re: new RegExp(`^${source}$`)}
})

/**
 * A sentence stored in English (one of STORED, as a snapshot keeps it) in the person's
 * language; any other text (a tool's own output) comes back as it is.
 */
export function relocalize(text: string, lang: Lang = language()): string {
  if (lang === 'en') return text
  for (const p of PATTERNS) {
    const m = p.re.exec(text)
    if (!m) continue
    const params = Object.fromEntries(p.names.map((n, i) => [n, NESTED.has(n) ? relocalize(m[i + 1]!, lang) : m[i + 1]!]))
    return stored(p.key, params, lang)
  }
  return text
}

const STATES_EN: Record<LaptopState, string> = {
  received: 'received',
  diagnosed: 'diagnosed',
  wiped: 'wiped',
  imaged: 'imaged',
  ready: 'ready',
  allocated: 'allocated',
  handed_over: 'handed_over',
  on_hold: 'on_hold',
  scrapped: 'scrapped',
  returned: 'returned',
}

/** The states as a person reads them: English keeps the ids (what `status` and --json show). */
export const STATES: {en: Record<LaptopState, string>; fr: Record<LaptopState, string>} = {
  en: STATES_EN,
  fr: {
    received: 'reçu',
    diagnosed: 'diagnostiqué',
    wiped: 'effacé',
    imaged: 'imagé',
    ready: 'prêt',
    allocated: 'attribué',
    handed_over: 'remis',
    on_hold: 'en attente de pièce',
    scrapped: 'réformé',
    returned: 'retourné',
  },
}

const states = defineMessages(STATES)

export function stateName(state: LaptopState | string, lang?: Lang): string {
  return state in STATES_EN ? states(state as LaptopState, undefined, lang) : state
}
