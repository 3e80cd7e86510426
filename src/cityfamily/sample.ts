import {join} from 'node:path'
import {createCsvWriter, type CsvWriter} from '../csv/write.js'
import {UsageError} from '../core/errors.js'
import {loadSourceMapping, sourceMappingPath, type SourceMapping} from './mapping.js'
import {ENTITY_ORDER, type EntityName} from './model.js'
import {matchKey, nameScore} from './names.js'
import {withStagedFolder} from './output.js'
import {writeFileAtomic} from '../core/fs.js'
import {t} from './messages/index.js'

const TRUTH_FILE = '.sample_truth.json'

/**
 * A synthetic Abelium export, as legacy software writes it: Windows-1252, ';', CRLF,
 * dd/mm/yyyy, decimal commas, one file per entity, with the defects a migration meets:
 * recomposed households and shared custody, duplicate persons that differ by accents, case
 * or a typo, missing fields, orphans, QF history, unpaid balances, RPE childminders.
 * Generated names only (small built-in lists). Deterministic for a seed.
 *
 * What was planted is written to `.sample_truth.json` in the folder (for tests and the
 * demo; migrate never reads it).
 */
export interface SampleOptions {
  families: number
  seed: number
  out: string
  /** No orphans or invalid values (duplicates and missing optional fields are still planted). */
  clean?: boolean
  templatesDir: string
  mappingPath?: string
}

export interface SampleTruth {
  seed: number
  families: number
  clean: boolean
  rows: Partial<Record<EntityName, number>>
  duplicates: {original: string; duplicate: string; variant: 'accents' | 'case' | 'typo'}[]
  orphans: {childrenWithoutHousehold: string[]; allocationsWithoutInvoice: number}
  invalidEmails: number
  sharedCustodyLinks: number
  totals: {invoiced: number; paid: number; unpaid: number}
}

/** mulberry32: small, fast, good enough for test data, same sequence on every platform. */
export function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  }
}

const LAST = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefèvre',
  'Michel',
  'Garcia',
  'Bertrand',
  'Roux',
  'Vincent',
  'Fournier',
  'Morel',
  'Girard',
  'André',
  'Mercier',
  'Dupont',
  'Lambert',
  'Bonnet',
  'François',
  'Legrand',
  'Garnier',
  'Faure',
  'Rousseau',
  'Blanc',
  'Guérin',
  'Muller',
  'Henry',
  'Perrin',
  'Morin',
  'Mathieu',
  'Gauthier',
  'Fontaine',
  'Chevalier',
  'Lœuillet',
  'Cœurdevey',
  'Œttly',
  'L’Huillier',
  'D’Arcangues',
  'Lafitte',
  'Darrigade',
  'Labadie',
  'Dubroca',
  'Lartigau',
  'Ducasse',
  'Larrouy',
  'Béguerie',
  'Castéra',
  'Saint-Genès',
  'Dufréchou',
  'Péré',
]
const FIRST_F = [
  'Léa',
  'Chloé',
  'Zoé',
  'Inès',
  'Anaïs',
  'Maëlle',
  'Noémie',
  'Camille',
  'Manon',
  'Jade',
  'Louise',
  'Alice',
  'Lina',
  'Rose',
  'Ambre',
  'Juliette',
  'Héloïse',
  'Clémence',
  'Éloïse',
  'Mathilde',
  'Adèle',
  'Océane',
  'Gaëlle',
  'Bérénice',
]
const FIRST_M = [
  'Lucas',
  'Hugo',
  'Théo',
  'Noé',
  'Maël',
  'Raphaël',
  'Gabriel',
  'Arthur',
  'Jules',
  'Nathan',
  'Léon',
  'Timothée',
  'Clément',
  'Benoît',
  'Jérôme',
  'Loïc',
  'Anatole',
  'Gaëtan',
  'Aurélien',
  'Joël',
  'Étienne',
  'Baptiste',
  'Mathis',
  'Noël',
]
const COMMUNES = [
  ['40000', '40192', 'Mont-de-Marsan'],
  ['40100', '40088', 'Dax'],
  ['40600', '40046', 'Biscarrosse'],
  ['40990', '40279', 'Saint-Paul-lès-Dax'],
  ['40220', '40312', 'Tarnos'],
  ['40130', '40065', 'Capbreton'],
  ['40200', '40184', 'Mimizan'],
  ['40800', '40001', 'Aire-sur-l’Adour'],
  ['40700', '40119', 'Hagetmau'],
  ['40140', '40310', 'Soustons'],
  ['40500', '40282', 'Saint-Sever'],
  ['40230', '40284', 'Saint-Vincent-de-Tyrosse'],
] as const
const STREETS = [
  'rue des Pins',
  'avenue de la Gare',
  'chemin de l’Airial',
  'place de l’Église',
  'rue du Château d’Eau',
  'allée des Chênes-Lièges',
  'route de Cœur-de-Landes',
  'impasse des Arènes',
]
const ALLERGIES = ['Arachide', 'Œuf', 'Lait de vache', 'Pollen', 'Gluten', 'Fruits à coque']
const SITES: Record<string, string[]> = {
  creche: ['Multi-accueil Les P’tits Pins', 'Crèche Cœur d’Océan'],
  alsh: ['ALSH Les Écureuils', 'Centre de loisirs L’Airial'],
  periscolaire: ['Garderie école Jean-Moulin', 'Périscolaire école des Arènes'],
  restauration: ['Restaurant scolaire Jean-Moulin', 'Cantine école des Arènes'],
  rpe: ['RPE Cœur de Landes'],
}
const REF_DATE = Date.UTC(2025, 8, 1) // ages are computed at 1 Sept 2025 (fixed: deterministic)
const DAY = 86_400_000

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
function frDate(isoDate: string): string {
  return `${isoDate.slice(8, 10)}/${isoDate.slice(5, 7)}/${isoDate.slice(0, 4)}`
}
function frMoney(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`
}
function stripAccents(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
}
function pad(n: number, w: number) {
  return String(n).padStart(w, '0')
}

interface GenPerson {
  id: string
  last: string
  first: string
  birth?: string
  sex: 'F' | 'M'
  phone?: string
  email?: string
}

/** Open one Windows-1252 writer per entity file, with the mapping's headers (the one CSV writer). */
async function openWriters(out: string, mapping: SourceMapping) {
  const writers = new Map<EntityName, CsvWriter>()
  for (const name of ENTITY_ORDER) {
    const e = mapping.entities[name]
    if (!e) continue
    const fields = Object.keys(e.columns)
    writers.set(
      name,
      await createCsvWriter(join(out, e.file), {
        columns: fields.map((f) => ({key: f, header: e.columns[f]!.header})),
        delimiter: ';',
        eol: '\r\n',
        encoding: 'windows-1252',
        mode: 0o600,
      }),
    )
  }
  return writers
}

/**
 * Build the sample: check the options, then write every file into a staged folder that
 * replaces `out` only once complete (a half-written sample is never left behind).
 */
export async function generateSample(opts: SampleOptions): Promise<SampleTruth> {
  if (!Number.isInteger(opts.families) || opts.families < 1) throw new UsageError(t('families'), {actions: [t('familiesAction')]})
  const mapping = loadSourceMapping(opts.mappingPath ?? sourceMappingPath(opts.templatesDir))
  const r = prng(opts.seed)
  const owned = new Set([...Object.values(mapping.entities).map((e) => e!.file), TRUTH_FILE])
  return withStagedFolder(opts.out, {owns: (n) => owned.has(n)}, (dir) => writeSample(opts, mapping, r, dir))
}

type Random = ReturnType<typeof prng>

/**
 * Write the files of the sample into `out`: the households one by one, then the RPE
 * childminders, then what was planted (`.sample_truth.json`). Every random draw happens in
 * this order, so that a seed always gives the same files.
 */
async function writeSample(opts: SampleOptions, mapping: SourceMapping, r: Random, out: string): Promise<SampleTruth> {
  const writers = await openWriters(out, mapping)
  const sample = new SampleWriter(opts, mapping, r, writers)
  for (let h = 1; h <= opts.families; h++) await sample.writeHousehold(h)
  await sample.writeChildminders()
  for (const w of writers.values()) await w.end()
  return sample.writeTruth(out)
}

/** What the later steps of a household need to know about it. */
interface HouseholdDraft {
  /** Its id (F000001). */
  hid: string
  /** The family name most of its members carry. */
  last: string
  regime: 'CAF' | 'MSA' | 'AUTRE'
}

/** A household written lately: shared custody and planted duplicates are drawn from its members. */
interface RecentHousehold {
  household: string
  children: GenPerson[]
  adults: GenPerson[]
}

const yesNo = (b: boolean) => (b ? 'Oui' : 'Non')

/**
 * The state of one sample being written: the random sequence, the open writers, the row
 * counts and the truth, the ids handed out so far, and the persons already generated (to
 * plant duplicates on purpose and avoid accidental ones). One method per kind of record.
 */
class SampleWriter {
  readonly counts: Partial<Record<EntityName, number>> = {}
  readonly truth: SampleTruth
  /** Persons by birth date, to keep generated strangers from looking like duplicates. */
  private readonly byBirth = new Map<string, {last: string; first: string}[]>()
  /** Recent households' members, for shared custody and planted duplicates. */
  private readonly recent: RecentHousehold[] = []
  private readonly duplicated = new Set<string>()
  /** The last number handed out per kind of id. */
  private readonly seq = {person: 0, quotient: 0, health: 0, authorisation: 0, registration: 0, invoice: 0, payment: 0, document: 0}
  /** Every how many households an orphan child and an orphan allocation are planted (0: never). */
  private readonly orphanEvery: number

  constructor(
    private readonly opts: SampleOptions,
    private readonly mapping: SourceMapping,
    private readonly r: Random,
    private readonly writers: Map<EntityName, CsvWriter>,
  ) {
    this.truth = {
      seed: opts.seed,
      families: opts.families,
      clean: Boolean(opts.clean),
      rows: this.counts,
      duplicates: [],
      orphans: {childrenWithoutHousehold: [], allocationsWithoutInvoice: 0},
      invalidEmails: 0,
      sharedCustodyLinks: 0,
      totals: {invoiced: 0, paid: 0, unpaid: 0},
    }
    this.orphanEvery = opts.clean ? 0 : Math.max(10, Math.min(200, Math.floor(opts.families / 2)))
  }

  /** One household and everything attached to it, in the order the export lists them. */
  async writeHousehold(h: number): Promise<void> {
    const r = this.r
    const hh = await this.writeHouseholdRow(h)
    const {adults, couple, recomposed} = await this.writeAdults(hh)
    const {children, foster} = await this.writeChildren(hh, couple, recomposed)
    if (recomposed && this.recent.length > 0) await this.linkSharedCustody(hh.hid, children)
    if (this.recent.length > 0 && r.chance(0.05)) await this.plantDuplicate(hh.hid)
    if (r.chance(0.1)) await this.writeEmergencyContact(hh)
    await this.writeQuotientHistory(hh)
    for (const c of [...children, ...(foster ? [foster] : [])]) await this.writeChildRecords(hh.hid, c)
    await this.writeInvoices(hh.hid)
    await this.writeDocuments(hh.hid, children, recomposed)
    if (this.orphanEvery > 0 && h % this.orphanEvery === 0) await this.plantOrphans(h, hh.hid)
    this.recent.push({household: hh.hid, children, adults})
    if (this.recent.length > 30) this.recent.shift()
  }

  /** RPE childminders: about one per 20 families, agrément for 1 to 4 children. */
  async writeChildminders(): Promise<void> {
    const r = this.r
    const nAm = Math.max(1, Math.floor(this.opts.families / 20))
    for (let i = 1; i <= nAm; i++) {
      const [cp, , city] = r.pick(COMMUNES)
      const id = `AM${pad(i, 5)}`
      const capacity = r.int(1, 4)
      await this.emit('childminder', {
        id,
        lastName: r.pick(LAST),
        firstName: r.pick(FIRST_F),
        agrementNumber: `40-AG-${pad(r.int(1, 99999), 5)}`,
        agrementDate: frDate(iso(Date.UTC(r.int(2000, 2024), r.int(0, 11), r.int(1, 28)))),
        capacity: String(capacity),
        phone: this.phone(r.chance(0.5) ? '05 58' : '06'),
        postalCode: cp,
        city,
      })
      await this.emit('availability', {childminderId: id, fromDate: '01/09/2025', places: String(r.int(0, capacity))})
      if (r.chance(0.3)) await this.emit('availability', {childminderId: id, fromDate: '05/01/2026', places: String(r.int(0, capacity))})
    }
  }

  /** Complete the truth (unpaid total, a count for every file) and write it beside the files. */
  writeTruth(out: string): SampleTruth {
    const truth = this.truth
    truth.totals.unpaid = truth.totals.invoiced - truth.totals.paid
    for (const name of ENTITY_ORDER) if (this.mapping.entities[name] && this.counts[name] === undefined) this.counts[name] = 0
    writeFileAtomic(join(out, TRUTH_FILE), JSON.stringify(truth, null, 2) + '\n', {mode: 0o600})
    return truth
  }

  /** The household row itself: address, contact, CAF/MSA regime. */
  private async writeHouseholdRow(h: number): Promise<HouseholdDraft> {
    const r = this.r
    const hid = `F${pad(h, 6)}`
    const last = r.pick(LAST)
    const [cp, insee, city] = r.pick(COMMUNES)
    const regime = r.chance(0.85) ? 'CAF' : r.chance(0.8) ? 'MSA' : 'AUTRE'
    await this.emit('household', {
      id: hid,
      name: r.chance(0.5) ? last.toUpperCase() : last,
      address: `${r.int(1, 120)} ${r.pick(STREETS)}`,
      postalCode: cp,
      city,
      inseeCode: r.chance(0.97) ? insee : undefined,
      phone: r.chance(0.8) ? this.phone('05 58') : undefined,
      email: r.chance(0.95)
        ? `famille.${stripAccents(last)
            .toLowerCase()
            .replace(/[^a-z]/g, '')}${h}@exemple.fr`
        : undefined,
      regime: this.label('household', 'regime', regime),
      allocataireNumber: regime === 'AUTRE' ? undefined : pad(r.int(1_000_000, 9_999_999), 7),
    })
    return {hid, last, regime}
  }

  /** Adults: one or two; a recomposed household has a step-parent. Some emails are invalid on purpose. */
  private async writeAdults(hh: HouseholdDraft): Promise<{adults: GenPerson[]; couple: boolean; recomposed: boolean}> {
    const r = this.r
    const {hid, last} = hh
    const adults: GenPerson[] = []
    const a1 = this.newPerson(last, r.chance(0.6) ? 'F' : 'M', Date.UTC(1965, 0, 1), Date.UTC(1998, 0, 1), r.chance(0.9))
    adults.push(a1)
    const couple = r.chance(0.75)
    const recomposed = couple && r.chance(0.2)
    if (couple)
      adults.push(
        this.newPerson(
          r.chance(0.7) ? last : r.pick(LAST),
          a1.sex === 'F' ? 'M' : 'F',
          Date.UTC(1965, 0, 1),
          Date.UTC(1998, 0, 1),
          r.chance(0.9),
        ),
      )
    for (const a of adults) {
      a.phone = r.chance(0.85) ? this.phone(r.chance(0.5) ? '06' : '07') : undefined
      a.email = r.chance(0.85) ? this.emailOf(a) : undefined
      if (a.email && !this.opts.clean && r.chance(0.01)) {
        a.email = a.email.replace('@', '@@')
        this.truth.invalidEmails++
      }
      await this.writePerson(a, r.chance(0.05) ? 1 : r.chance(0.05) ? 2 : 0)
    }
    for (const [i, a] of adults.entries()) {
      const step = recomposed && i === 1
      await this.emit('membership', {
        householdId: hid,
        personId: a.id,
        role: this.label('membership', 'role', 'responsable'),
        custody: undefined,
        legalGuardian: yesNo(!step),
        parentalAuthority: yesNo(!step),
        pickup: 'Oui',
        payer: yesNo(i === 0),
      })
    }
    return {adults, couple, recomposed}
  }

  /** Children: 1 to 3, born 2008-2025; a foster child now and then. */
  private async writeChildren(
    hh: HouseholdDraft,
    couple: boolean,
    recomposed: boolean,
  ): Promise<{children: GenPerson[]; foster: GenPerson | undefined}> {
    const r = this.r
    const children: GenPerson[] = []
    const nChildren = r.int(1, 3)
    for (let c = 0; c < nChildren; c++)
      children.push(this.newPerson(hh.last, r.chance(0.5) ? 'F' : 'M', Date.UTC(2008, 0, 1), Date.UTC(2025, 5, 1)))
    const foster = r.chance(0.02)
      ? this.newPerson(r.pick(LAST), r.chance(0.5) ? 'F' : 'M', Date.UTC(2010, 0, 1), Date.UTC(2024, 0, 1))
      : undefined
    for (const c of [...children, ...(foster ? [foster] : [])]) await this.writePerson(c)
    const custody = recomposed || !couple ? 'alternee' : 'exclusive'
    for (const c of children) await this.writeChildMembership(hh.hid, c.id, custody)
    if (foster) await this.writeChildMembership(hh.hid, foster.id, 'accueil')
    return {children, foster}
  }

  /** Shared custody: a child of a recent household also lives here (same person). */
  private async linkSharedCustody(hid: string, children: GenPerson[]): Promise<void> {
    const other = this.r.pick(this.recent)
    const c = other.children.find((x) => !children.includes(x))
    if (!c) return
    await this.writeChildMembership(hid, c.id, 'alternee')
    this.truth.sharedCustodyLinks++
  }

  /** Planted duplicate: a person of a recent household entered again here by another agent. */
  private async plantDuplicate(hid: string): Promise<void> {
    const r = this.r
    const other = r.pick(this.recent)
    const pool = r.chance(0.7) ? other.children : other.adults
    const orig = pool.find((p) => p.birth && !this.duplicated.has(p.id))
    if (!orig) return
    this.duplicated.add(orig.id)
    const {variant, last, first} = this.misspell(orig)
    const dup: GenPerson = {
      id: `I${pad(++this.seq.person, 7)}`,
      last: `${r.chance(0.2) ? ' ' : ''}${last}`,
      first,
      birth: orig.birth,
      sex: orig.sex,
      phone: r.chance(0.5) ? orig.phone : undefined,
    }
    await this.writePerson(dup)
    this.byBirth.get(dup.birth!)?.push({last: matchKey(dup.last), first: matchKey(dup.first)})
    const isChild = other.children.includes(orig)
    await this.emit('membership', {
      householdId: hid,
      personId: dup.id,
      role: this.label('membership', 'role', isChild ? 'enfant' : 'responsable'),
      custody: isChild ? this.label('membership', 'custody', 'alternee') : undefined,
      legalGuardian: yesNo(!isChild),
      parentalAuthority: yesNo(!isChild),
      pickup: yesNo(!isChild),
      payer: 'Non',
    })
    this.truth.duplicates.push({original: orig.id, duplicate: dup.id, variant})
  }

  /** The name of a person as another agent typed it: accents dropped, other case, or one typo. */
  private misspell(orig: GenPerson): {variant: 'accents' | 'case' | 'typo'; last: string; first: string} {
    const r = this.r
    const variants: ('accents' | 'case' | 'typo')[] = []
    if (stripAccents(orig.last + orig.first) !== orig.last + orig.first) variants.push('accents')
    variants.push('case')
    if (orig.last.length >= 6 || orig.first.length >= 6) variants.push('typo')
    const variant = r.pick(variants)
    let dl = orig.last,
      df = orig.first
    if (variant === 'accents') {
      dl = stripAccents(dl)
      df = stripAccents(df)
    } else if (variant === 'case') {
      dl = dl.toUpperCase()
      df = r.chance(0.5) ? df.toUpperCase() : df.toLowerCase()
    } else {
      const target = orig.last.length >= 6 ? 'last' : 'first'
      const s = target === 'last' ? dl : df
      // One edit on a plain letter (an œ or an accent would make two edits once folded).
      const spots = [...s].map((ch, i) => (i > 0 && i < s.length - 1 && /[a-z]/.test(ch) ? i : -1)).filter((i) => i > 0)
      const at = r.pick(spots)
      const typo = r.chance(0.5) ? s.slice(0, at) + s.slice(at + 1) : s.slice(0, at) + (s[at] === 'n' ? 'm' : 'n') + s.slice(at + 1)
      if (target === 'last') dl = typo
      else df = typo
    }
    return {variant, last: dl, first: df}
  }

  /** An emergency contact (a grandparent), role contact. */
  private async writeEmergencyContact(hh: HouseholdDraft): Promise<void> {
    const r = this.r
    const g = this.newPerson(
      r.chance(0.5) ? hh.last : r.pick(LAST),
      r.chance(0.5) ? 'F' : 'M',
      Date.UTC(1945, 0, 1),
      Date.UTC(1965, 0, 1),
      false,
    )
    g.phone = this.phone('05 58')
    await this.writePerson(g)
    await this.emit('membership', {
      householdId: hh.hid,
      personId: g.id,
      role: this.label('membership', 'role', 'contact'),
      custody: undefined,
      legalGuardian: 'Non',
      parentalAuthority: 'Non',
      pickup: 'Oui',
      payer: 'Non',
    })
  }

  /** Quotient familial history: one record per year, the last one open. */
  private async writeQuotientHistory(hh: HouseholdDraft): Promise<void> {
    const r = this.r
    const years = r.int(1, 3)
    let qf = r.int(300, 1800)
    for (let y = 0; y < years; y++) {
      const year = 2025 - years + 1 + y
      await this.emit('quotient', {
        id: `Q${pad(++this.seq.quotient, 7)}`,
        householdId: hh.hid,
        startDate: `01/01/${year}`,
        endDate: y === years - 1 ? undefined : `31/12/${year}`,
        value: String(qf),
        source: this.label('quotient', 'source', hh.regime === 'MSA' ? 'MSA' : r.chance(0.9) ? 'CAF' : 'MANUEL'),
      })
      qf = Math.max(0, qf + r.int(-150, 150))
    }
  }

  /** Per child: health, authorisations, registrations and attendance. */
  private async writeChildRecords(hid: string, c: GenPerson): Promise<void> {
    if (this.r.chance(0.25)) await this.writeHealth(c)
    const age = (REF_DATE - Date.parse(c.birth!)) / (365.25 * DAY)
    await this.writeAuthorisations(c, age)
    await this.writeRegistrations(hid, c, age)
  }

  /** One health record: an allergy, a PAI (individual care plan) or a vaccination. */
  private async writeHealth(c: GenPerson): Promise<void> {
    const r = this.r
    const kind = r.pick(['allergie', 'pai', 'vaccination'] as const)
    const allergen = r.pick(ALLERGIES)
    await this.emit('health', {
      id: `S${pad(++this.seq.health, 7)}`,
      personId: c.id,
      kind: this.label('health', 'kind', kind),
      label: kind === 'vaccination' ? 'DTP rappel' : allergen,
      date: kind === 'vaccination' ? frDate(iso(REF_DATE - r.int(30, 900) * DAY)) : undefined,
      detail:
        kind === 'pai'
          ? `PAI ${allergen.toLowerCase()} : trousse d’urgence à l’école, éviction stricte`
          : r.chance(0.3)
            ? `Réaction cutanée à l’${allergen.toLowerCase()}`
            : undefined,
    })
  }

  /** Image rights always; going home alone from 10 years old; an emergency contact now and then. */
  private async writeAuthorisations(c: GenPerson, age: number): Promise<void> {
    const r = this.r
    await this.writeAuthorisation(c, 'image', yesNo(r.chance(0.8)))
    if (age >= 10) await this.writeAuthorisation(c, 'sortie_seul', yesNo(r.chance(0.6)))
    if (r.chance(0.3)) await this.writeAuthorisation(c, 'contact_urgence', 'Oui', `${r.pick(FIRST_F)} ${r.pick(LAST)}`, this.phone('05 58'))
  }

  /** One authorisation row (kind as the canonical code; the contact only for an emergency contact). */
  private async writeAuthorisation(
    c: GenPerson,
    kind: string,
    granted: string,
    contactName?: string,
    contactPhone?: string,
  ): Promise<void> {
    await this.emit('authorisation', {
      id: `A${pad(++this.seq.authorisation, 7)}`,
      personId: c.id,
      kind: this.label('authorisation', 'kind', kind),
      granted,
      contactName,
      contactPhone,
    })
  }

  /** The structures a child of this age attends (crèche, school services, holiday centre), with some attendance. */
  private async writeRegistrations(hid: string, c: GenPerson, age: number): Promise<void> {
    const r = this.r
    const structures: string[] =
      age < 3 ? ['creche'] : age < 12 ? ['periscolaire', 'restauration', ...(r.chance(0.4) ? ['alsh'] : [])] : r.chance(0.3) ? ['alsh'] : []
    for (const s of structures) {
      const rid = `R${pad(++this.seq.registration, 7)}`
      await this.emit('registration', {
        id: rid,
        personId: c.id,
        householdId: hid,
        structure: this.label('registration', 'structure', s),
        site: r.pick(SITES[s]!),
        startDate: '01/09/2025',
        endDate: r.chance(0.5) ? '03/07/2026' : undefined,
        status: this.label('registration', 'status', r.chance(0.9) ? 'validee' : 'attente'),
      })
      if (r.chance(0.2)) {
        for (let d = 0, n = r.int(1, 3); d < n; d++)
          await this.emit('attendance', {
            registrationId: rid,
            date: frDate(iso(Date.UTC(2025, 8, 1 + d))),
            state: this.label('attendance', 'state', r.pick(['reservation', 'present', 'present', 'absent_justifie', 'absent'])),
          })
      }
    }
  }

  /** Invoices, payments and their allocation: some paid, some partly, some not at all. */
  private async writeInvoices(hid: string): Promise<void> {
    const r = this.r
    const totals = this.truth.totals
    const nInv = r.int(1, 3)
    for (let i = 0; i < nInv; i++) {
      const fid = `FA${pad(++this.seq.invoice, 8)}`
      const amount = r.int(500, 40000)
      const what = r.pick(['Restauration scolaire', 'Accueil périscolaire', 'ALSH vacances', 'Crèche'])
      await this.emit('invoice', {
        id: fid,
        householdId: hid,
        date: frDate(iso(Date.UTC(2025, r.int(0, 7), r.int(1, 28)))),
        label: `${what} – ${r.int(3, 20)} × ${frMoney(r.int(150, 900))} €`,
        amount: frMoney(amount),
      })
      totals.invoiced += amount
      const p = r.next()
      const paid = p < 0.8 ? amount : p < 0.9 ? Math.floor(amount / 2) : 0
      if (paid > 0) {
        const rid = `RG${pad(++this.seq.payment, 8)}`
        const extra = r.chance(0.05) ? r.int(100, 2000) : 0 // overpayment, left unallocated
        await this.emit('payment', {
          id: rid,
          householdId: hid,
          date: frDate(iso(Date.UTC(2025, 8, r.int(1, 28)))),
          amount: frMoney(paid + extra),
          mode: this.label('payment', 'mode', r.pick(['cheque', 'virement', 'prelevement', 'cb', 'especes', 'cesu'])),
        })
        await this.emit('allocation', {paymentId: rid, invoiceId: fid, amount: frMoney(paid)})
        totals.paid += paid
      }
    }
  }

  /** Scanned documents: a CAF certificate now and then, a custody judgement for some recomposed households. */
  private async writeDocuments(hid: string, children: GenPerson[], recomposed: boolean): Promise<void> {
    const r = this.r
    if (r.chance(0.3))
      await this.emit('document', {
        id: `D${pad(++this.seq.document, 7)}`,
        householdId: hid,
        personId: undefined,
        kind: this.label('document', 'kind', 'avis_caf'),
        reference: `${hid}_attestation_caf_2025.pdf`,
        date: frDate(iso(Date.UTC(2025, r.int(0, 7), r.int(1, 28)))),
      })
    if (recomposed && r.chance(0.5))
      await this.emit('document', {
        id: `D${pad(++this.seq.document, 7)}`,
        householdId: hid,
        personId: children[0]!.id,
        kind: this.label('document', 'kind', 'jugement_garde'),
        reference: `${hid}_jugement_garde.pdf`,
        date: undefined,
      })
  }

  /** Orphans: a child pointing to no household, a payment allocated to no invoice. */
  private async plantOrphans(h: number, hid: string): Promise<void> {
    const r = this.r
    const o = this.newPerson(r.pick(LAST), r.chance(0.5) ? 'F' : 'M', Date.UTC(2012, 0, 1), Date.UTC(2022, 0, 1))
    await this.writePerson(o)
    await this.writeChildMembership(`F9${pad(h, 6)}`, o.id, 'exclusive')
    this.truth.orphans.childrenWithoutHousehold.push(o.id)
    const rid = `RG${pad(++this.seq.payment, 8)}`
    await this.emit('payment', {
      id: rid,
      householdId: hid,
      date: '15/09/2025',
      amount: '10,00',
      mode: this.label('payment', 'mode', 'cheque'),
    })
    await this.emit('allocation', {paymentId: rid, invoiceId: `FA9${pad(h, 7)}`, amount: '10,00'})
    this.truth.orphans.allocationsWithoutInvoice++
  }

  /** A child's membership of a household (no guardianship, no pickup, not a payer). */
  private async writeChildMembership(householdId: string, personId: string, custody: string): Promise<void> {
    await this.emit('membership', {
      householdId,
      personId,
      role: this.label('membership', 'role', 'enfant'),
      custody: this.label('membership', 'custody', custody),
      legalGuardian: 'Non',
      parentalAuthority: 'Non',
      pickup: 'Non',
      payer: 'Non',
    })
  }

  /**
   * A new person with a generated first name and, unless withBirth is false, a birth date
   * between fromMs and toMs, moved on by a day while another person born that day has a
   * similar name (so that only planted duplicates look like duplicates).
   */
  private newPerson(last: string, sex: 'F' | 'M', fromMs: number, toMs: number, withBirth = true): GenPerson {
    const r = this.r
    const first = r.pick(sex === 'F' ? FIRST_F : FIRST_M)
    let birth: string | undefined
    if (withBirth) {
      let ms = fromMs + Math.floor(r.next() * ((toMs - fromMs) / DAY)) * DAY
      const key = {last: matchKey(last), first: matchKey(first)}
      for (let tries = 0; tries < 50; tries++) {
        const near = this.byBirth.get(iso(ms))
        if (!near || !near.some((p) => nameScore(p, key) >= 0.6)) break
        ms += DAY
      }
      birth = iso(ms)
      const list = this.byBirth.get(birth) ?? []
      list.push(key)
      this.byBirth.set(birth, list)
    }
    return {id: `I${pad(++this.seq.person, 7)}`, last, first, birth, sex}
  }

  /** A person row; phoneStyle 1 drops the leading zero (as Excel does), 2 writes the +33 prefix as 0033. */
  private async writePerson(p: GenPerson, phoneStyle = 0): Promise<void> {
    let tel = p.phone
    if (tel && phoneStyle === 1) tel = tel.replace(/\s/g, '').slice(1) // Excel dropped the leading zero
    if (tel && phoneStyle === 2) tel = '0033 ' + tel.slice(1) // international prefix
    await this.emit('person', {
      id: p.id,
      lastName: p.last,
      firstName: p.first,
      birthDate: p.birth ? frDate(p.birth) : undefined,
      sex: this.label('person', 'sex', p.sex),
      phone: tel,
      email: p.email,
    })
  }

  /** A French phone number starting with prefix ('05 58', '06'...), completed by random pairs of digits. */
  private phone(prefix: string): string {
    let s = prefix
    while (s.replace(/\D/g, '').length < 10) s += ` ${pad(this.r.int(0, 99), 2)}`
    return s
  }

  private emailOf(p: GenPerson): string {
    return `${stripAccents(p.first).toLowerCase()}.${stripAccents(p.last)
      .toLowerCase()
      .replace(/[^a-z]/g, '')}${this.r.int(1, 99)}@exemple.fr`
  }

  /** The label the export uses for a code (the mapping's value table read backwards); the code itself if none. */
  private label(entity: EntityName, field: string, code: string): string {
    const table = this.mapping.entities[entity]?.columns[field]?.values ?? {}
    return Object.entries(table).find(([, c]) => c === code)?.[0] ?? code
  }

  /** Write a row to its entity's file and count it (an entity the mapping has no file for is skipped). */
  private async emit(entity: EntityName, row: Record<string, string | undefined>): Promise<void> {
    const w = this.writers.get(entity)
    if (!w) return
    this.counts[entity] = (this.counts[entity] ?? 0) + 1
    await w.write(row)
  }
}
