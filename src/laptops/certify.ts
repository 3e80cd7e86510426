import type {ServiceContext} from '../context/service-context.js'
import {audit} from '../context/service-context.js'
import {NotFound, RuleViolation, UsageError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {progress} from '../core/progress.js'
import {disksToWrite, type BlockDevice} from './devices.js'
import {ACTION_COMMAND} from './states.js'
import {msg, stateName, t as line, ws} from './messages/index.js'
import {writePdf, type PdfBlock} from './pdf.js'
import {frDate} from '../core/french.js'
import {getLaptop, internalDiskSerials} from './records.js'
import {chooseMethod, type MethodChoice} from './wipe-method.js'
import {executeWipe, hostIdentity, type CertifySubject, type WipeResult} from './wipe.js'

/**
 * Certify any disk that leaves: a laptop scrapped or on hold, a parts disk, an old win7 PC.
 * The same engine and certificate as `laptops wipe` (overwrite with zeros, read-back
 * verification, JSON + French PDF), recorded against its subject, without entering the
 * reconditioning path: no laptop moves. The certificate's subject serial is the laptop's, the
 * disk's or the PC's, so `win7 retire --wiped-certificate` accepts a PC's as it is.
 */
export const CERTIFY_STATES = ['scrapped', 'on_hold'] as const

export interface CertifyOptions {
  device: string
  deviceSerial?: string
  laptop?: string
  part?: boolean
  win7Pc?: string
  verify?: 'sample' | 'all'
  outDir: string
  confirm: (what: {device: BlockDevice; subject: CertifySubject; method: MethodChoice}) => Promise<void>
}

export async function certifyDisk(ctx: ServiceContext, opts: CertifyOptions): Promise<WipeResult & {subject: CertifySubject}> {
  if ([opts.laptop, opts.part, opts.win7Pc].filter(Boolean).length !== 1)
    throw new UsageError(ws('certifyOneSubject'), {actions: [ws('certifyOneSubjectAction')]})
  const db = ctx.store.db
  const [disk] = await disksToWrite(db, [{device: opts.device, deviceSerial: opts.deviceSerial, lookup: false}], msg('opWipe'))
  const {dev, serial: devSerial} = disk!
  let subject: CertifySubject
  if (opts.laptop) {
    const l = await getLaptop(db, opts.laptop)
    if (!(CERTIFY_STATES as readonly string[]).includes(l.state)) {
      const wipeable = l.state === 'diagnosed' || l.state === 'wiped' || l.state === 'returned' || l.state === 'received'
      throw new RuleViolation('CERTIFY_REFUSED', ws('certifyNotLeaving', {serial: l.serial, state: stateName(l.state)}), {
        actions: [
          wipeable
            ? ws('certifyUseWipe', {command: ACTION_COMMAND.wipe.replace('SERIAL', l.serial)})
            : ws('certifyScrapFirst', {serial: l.serial}),
        ],
        data: {serial: l.serial, state: l.state},
      })
    }
    const expected = internalDiskSerials(l.snapshot)
    if (expected.length > 0 && (!devSerial || !expected.includes(devSerial))) {
      throw new RuleViolation(
        'DEVICE_SERIAL_MISMATCH',
        msg(devSerial ? 'diskSerialMismatch' : 'diskSerialMismatchNoSerial', {
          device: dev.path,
          serial: devSerial ?? '',
          laptop: l.serial,
          expected: expected.join(', '),
        }),
        {actions: [msg('diskSerialMismatchAction')], data: {device: dev.path, deviceSerial: devSerial, expected}},
      )
    }
    subject = {kind: 'laptop', ref: l.serial}
  } else if (opts.part) {
    if (!devSerial)
      throw new RuleViolation('DISK_NO_SERIAL', ws('certifyPartNoSerial', {device: dev.path}), {actions: [ws('certifyPartNoSerialAction')]})
    subject = {kind: 'part', ref: devSerial}
  } else {
    const serial = opts.win7Pc!.trim().toUpperCase()
    const pc = await db.selectFrom('win7_pcs').select(['serial', 'role']).where('serial', '=', serial).executeTakeFirst()
    if (!pc || pc.role !== 'old')
      throw new NotFound(ws('certifyNoWin7Pc', {serial}), {actions: [ws('certifyNoWin7PcAction')], data: {serial}})
    subject = {kind: 'win7_pc', ref: serial}
  }
  // the firmware erases need the laptop's dock tooling (laptops wipe); a disk leaving is overwritten and read back
  const method = chooseMethod(dev, {}, 'overwrite')
  ctx.out.info(`${dev.path}: ${method.method} (${method.level}) - ${method.why}`)
  await opts.confirm({device: dev, subject, method})
  const r = await executeWipe(
    ctx,
    {dev, devSerial: devSerial ?? '', method},
    {
      verify: opts.verify,
      outDir: opts.outDir,
      certify: subject,
      progress: progress(ctx.out, {label: line('progressWipeOne', {device: dev.path}), total: dev.sizeBytes}),
    },
    await hostIdentity(),
  )
  if (r.certificate.result !== 'success') {
    throw new RuleViolation(
      'WIPE_NOT_VERIFIED',
      msg('wipeNotVerified', {
        device: dev.path,
        mismatches: r.certificate.verification.mismatches,
        errors: r.certificate.errors,
        state: subject.ref,
      }),
      {actions: [msg('wipeNotVerifiedAction')], data: {certificate: r.json}},
    )
  }
  return {...r, subject}
}

export type WeeeItem = {
  kind: 'laptop' | 'part' | 'win7_pc'
  /** laptop or PC serial, or the disk's serial for a parts disk */
  serial: string
  model: string | null
  disk_serial: string | null
  certificate: string
  level: string
  certified_at: string
}

export interface WeeeResult {
  collector: string
  date: string
  items: WeeeItem[]
  csv?: string
  pdf?: string
}

/**
 * The WEEE hand-off for the recycler's pickup: every successful certificate of a disk that
 * leaves (scrapped laptops, parts disks, old win7 PCs) not handed over yet, recorded as handed
 * to `collector` on `date`, and written as CSV and a French PDF. A laptop on hold is not
 * waste: it is certified but listed only once scrapped.
 */
export async function weeeHandoff(
  ctx: ServiceContext,
  opts: {collector: string; date?: string; csv?: string; pdf?: string; dryRun?: boolean},
): Promise<WeeeResult> {
  const date = opts.date ?? nowIso().slice(0, 10)
  const items = await weeePending(ctx)
  if (!opts.dryRun && items.length > 0) {
    await ctx.store.transaction(async (trx) => {
      const at = nowIso()
      for (let i = 0; i < items.length; i += 200) {
        await trx
          .insertInto('weee_handoffs')
          .values(
            items.slice(i, i + 200).map((x) => ({
              certificate_id: x.certificate,
              subject_kind: x.kind,
              subject_ref: x.serial,
              collector: opts.collector,
              handed_on: date,
              created_at: at,
            })),
          )
          .execute()
      }
      await audit(ctx, trx, {
        entity: 'weee',
        entityId: date,
        action: 'weee-handoff',
        summary: {code: 'weeeHandoff', params: {n: items.length}},
        data: {count: items.length, certificates: items.map((x) => x.certificate)},
      })
    })
  }
  const r: WeeeResult = {collector: opts.collector, date, items}
  if (opts.csv) {
    const {writeCsv} = await import('../csv/write.js')
    await writeCsv(opts.csv, items, {
      columns: [
        {key: 'kind', header: 'type'},
        {key: 'serial', header: 'numero_de_serie'},
        {key: 'model', header: 'modele'},
        {key: 'disk_serial', header: 'disque'},
        {key: 'certificate', header: 'certificat'},
        {key: 'level', header: 'niveau'},
        {key: 'certified_at', header: 'efface_le'},
      ],
      delimiter: ';',
      bom: true,
    })
    r.csv = opts.csv
  }
  if (opts.pdf) {
    await writePdf(opts.pdf, {title: `Bordereau DEEE ${date}`}, weeeBlocks(r, ctx.config.organisation), {mode: 0o644})
    r.pdf = opts.pdf
  }
  return r
}

/** Successful certificates of leaving disks not yet handed to a collector. */
export async function weeePending(ctx: ServiceContext): Promise<WeeeItem[]> {
  const db = ctx.store.db
  const handed = new Set((await db.selectFrom('weee_handoffs').select('certificate_id').execute()).map((r) => r.certificate_id))
  const laptops = await db
    .selectFrom('laptop_wipe_certificates as c')
    .innerJoin('laptops as l', 'l.serial', 'c.serial')
    .select(['c.id', 'c.serial', 'c.disk_serial', 'c.level', 'c.ended_at', 'l.model'])
    .where('l.state', '=', 'scrapped')
    .where('c.verified', '=', 1)
    .where('c.errors', '=', 0)
    .execute()
  const others = await db
    .selectFrom('disk_certificates')
    .select(['id', 'subject_kind', 'subject_ref', 'disk_serial', 'level', 'ended_at'])
    .where('verified', '=', 1)
    .where('errors', '=', 0)
    .execute()
  const items: WeeeItem[] = [
    ...laptops.map((c) => ({
      kind: 'laptop' as const,
      serial: c.serial,
      model: c.model,
      disk_serial: c.disk_serial,
      certificate: c.id,
      level: c.level,
      certified_at: c.ended_at,
    })),
    ...others.map((c) => ({
      kind: c.subject_kind,
      serial: c.subject_ref,
      model: null,
      disk_serial: c.disk_serial,
      certificate: c.id,
      level: c.level,
      certified_at: c.ended_at,
    })),
  ]
  return items
    .filter((x) => !handed.has(x.certificate))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.serial.localeCompare(b.serial) || a.certificate.localeCompare(b.certificate))
}

const KIND_FR: Record<WeeeItem['kind'], string> = {
  laptop: 'Ordinateur portable réformé',
  part: 'Disque (pièce détachée)',
  win7_pc: 'Ancien poste (Windows 7)',
}

function weeeBlocks(r: WeeeResult, organisation?: string): PdfBlock[] {
  const org = organisation ?? "ALPI - Agence Landaise Pour l'Informatique"
  return [
    {kind: 'title', text: 'Bordereau de remise DEEE'},
    {
      kind: 'fields',
      fields: [
        ['Organisme', org],
        ['Collecteur', r.collector],
        ['Date de remise', frDate(r.date)],
        ["Nombre d'éléments", String(r.items.length)],
      ],
    },
    {
      kind: 'text',
      text: "Les supports de stockage des équipements ci-dessous ont été effacés avant leur remise, selon un effacement vérifié conforme à la norme NIST SP 800-88 ; chaque ligne renvoie au certificat d'effacement correspondant.",
    },
    {kind: 'heading', text: 'Équipements remis'},
    // two lines per item: a certificate id is never cut in two
    ...r.items.flatMap((x): PdfBlock[] => [
      {kind: 'mono', text: `${KIND_FR[x.kind]} - n° ${x.serial}${x.model ? ` (${x.model})` : ''} - disque ${x.disk_serial ?? 'inconnu'}`},
      {kind: 'mono', text: `    certificat ${x.certificate} (${x.level}, effacé le ${frDate(x.certified_at)})`},
    ]),
    {kind: 'signatures', signatures: [`Pour ${org}`, `Pour le collecteur ${r.collector}`]},
  ]
}
