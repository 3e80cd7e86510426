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

export async function generateSample(opts: SampleOptions): Promise<SampleTruth> {
  if (!Number.isInteger(opts.families) || opts.families < 1) throw new UsageError(t('families'), {actions: [t('familiesAction')]})
  const mapping = loadSourceMapping(opts.mappingPath ?? sourceMappingPath(opts.templatesDir))
  const r = prng(opts.seed)
  const owned = new Set([...Object.values(mapping.entities).map((e) => e!.file), TRUTH_FILE])
  return withStagedFolder(opts.out, {owns: (n) => owned.has(n)}, (dir) => writeSample(opts, mapping, r, dir))
}

async function writeSample(opts: SampleOptions, mapping: SourceMapping, r: ReturnType<typeof prng>, out: string): Promise<SampleTruth> {
  const writers = await openWriters(out, mapping)
  const counts: Partial<Record<EntityName, number>> = {}
  const label = (entity: EntityName, field: string, code: string): string => {
    const table = mapping.entities[entity]?.columns[field]?.values ?? {}
    return Object.entries(table).find(([, c]) => c === code)?.[0] ?? code
  }
  const emit = async (entity: EntityName, row: Record<string, string | undefined>) => {
    const w = writers.get(entity)
    if (!w) return
    counts[entity] = (counts[entity] ?? 0) + 1
    await w.write(row)
  }
  const yesNo = (b: boolean) => (b ? 'Oui' : 'Non')

  const truth: SampleTruth = {
    seed: opts.seed,
    families: opts.families,
    clean: Boolean(opts.clean),
    rows: counts,
    duplicates: [],
    orphans: {childrenWithoutHousehold: [], allocationsWithoutInvoice: 0},
    invalidEmails: 0,
    sharedCustodyLinks: 0,
    totals: {invoiced: 0, paid: 0, unpaid: 0},
  }

  // Persons by birth date, to keep generated strangers from looking like duplicates.
  const byBirth = new Map<string, {last: string; first: string}[]>()
  let personSeq = 0
  const newPerson = (last: string, sex: 'F' | 'M', fromMs: number, toMs: number, withBirth = true): GenPerson => {
    const first = r.pick(sex === 'F' ? FIRST_F : FIRST_M)
    let birth: string | undefined
    if (withBirth) {
      let ms = fromMs + Math.floor(r.next() * ((toMs - fromMs) / DAY)) * DAY
      const key = {last: matchKey(last), first: matchKey(first)}
      for (let tries = 0; tries < 50; tries++) {
        const near = byBirth.get(iso(ms))
        if (!near || !near.some((p) => nameScore(p, key) >= 0.6)) break
        ms += DAY
      }
      birth = iso(ms)
      const list = byBirth.get(birth) ?? []
      list.push(key)
      byBirth.set(birth, list)
    }
    return {id: `I${pad(++personSeq, 7)}`, last, first, birth, sex}
  }
  const phone = (prefix: string) => {
    let s = prefix
    while (s.replace(/\D/g, '').length < 10) s += ` ${pad(r.int(0, 99), 2)}`
    return s
  }
  const emailOf = (p: GenPerson) =>
    `${stripAccents(p.first).toLowerCase()}.${stripAccents(p.last)
      .toLowerCase()
      .replace(/[^a-z]/g, '')}${r.int(1, 99)}@exemple.fr`

  const writePerson = async (p: GenPerson, phoneStyle = 0) => {
    let tel = p.phone
    if (tel && phoneStyle === 1) tel = tel.replace(/\s/g, '').slice(1) // Excel dropped the leading zero
    if (tel && phoneStyle === 2) tel = '0033 ' + tel.slice(1) // international prefix
    await emit('person', {
      id: p.id,
      lastName: p.last,
      firstName: p.first,
      birthDate: p.birth ? frDate(p.birth) : undefined,
      sex: label('person', 'sex', p.sex),
      phone: tel,
      email: p.email,
    })
  }

  // Recent households' members, for shared custody and planted duplicates.
  const recent: {household: string; children: GenPerson[]; adults: GenPerson[]}[] = []
  const duplicated = new Set<string>()
  let qfSeq = 0,
    healthSeq = 0,
    authSeq = 0,
    regSeq = 0,
    invSeq = 0,
    paySeq = 0,
    docSeq = 0
  const orphanEvery = opts.clean ? 0 : Math.max(10, Math.min(200, Math.floor(opts.families / 2)))

  for (let h = 1; h <= opts.families; h++) {
    const hid = `F${pad(h, 6)}`
    const last = r.pick(LAST)
    const [cp, insee, city] = r.pick(COMMUNES)
    const regime = r.chance(0.85) ? 'CAF' : r.chance(0.8) ? 'MSA' : 'AUTRE'
    await emit('household', {
      id: hid,
      name: r.chance(0.5) ? last.toUpperCase() : last,
      address: `${r.int(1, 120)} ${r.pick(STREETS)}`,
      postalCode: cp,
      city,
      inseeCode: r.chance(0.97) ? insee : undefined,
      phone: r.chance(0.8) ? phone('05 58') : undefined,
      email: r.chance(0.95)
        ? `famille.${stripAccents(last)
            .toLowerCase()
            .replace(/[^a-z]/g, '')}${h}@exemple.fr`
        : undefined,
      regime: label('household', 'regime', regime),
      allocataireNumber: regime === 'AUTRE' ? undefined : pad(r.int(1_000_000, 9_999_999), 7),
    })

    // Adults: one or two; a recomposed household has a step-parent.
    const adults: GenPerson[] = []
    const a1 = newPerson(last, r.chance(0.6) ? 'F' : 'M', Date.UTC(1965, 0, 1), Date.UTC(1998, 0, 1), r.chance(0.9))
    adults.push(a1)
    const couple = r.chance(0.75)
    const recomposed = couple && r.chance(0.2)
    if (couple)
      adults.push(
        newPerson(
          r.chance(0.7) ? last : r.pick(LAST),
          a1.sex === 'F' ? 'M' : 'F',
          Date.UTC(1965, 0, 1),
          Date.UTC(1998, 0, 1),
          r.chance(0.9),
        ),
      )
    for (const a of adults) {
      a.phone = r.chance(0.85) ? phone(r.chance(0.5) ? '06' : '07') : undefined
      a.email = r.chance(0.85) ? emailOf(a) : undefined
      if (a.email && !opts.clean && r.chance(0.01)) {
        a.email = a.email.replace('@', '@@')
        truth.invalidEmails++
      }
      await writePerson(a, r.chance(0.05) ? 1 : r.chance(0.05) ? 2 : 0)
    }
    for (const [i, a] of adults.entries()) {
      const step = recomposed && i === 1
      await emit('membership', {
        householdId: hid,
        personId: a.id,
        role: label('membership', 'role', 'responsable'),
        custody: undefined,
        legalGuardian: yesNo(!step),
        parentalAuthority: yesNo(!step),
        pickup: 'Oui',
        payer: yesNo(i === 0),
      })
    }

    // Children: 1 to 3, born 2008-2025; a foster child now and then.
    const children: GenPerson[] = []
    const nChildren = r.int(1, 3)
    for (let c = 0; c < nChildren; c++)
      children.push(newPerson(last, r.chance(0.5) ? 'F' : 'M', Date.UTC(2008, 0, 1), Date.UTC(2025, 5, 1)))
    const foster = r.chance(0.02)
      ? newPerson(r.pick(LAST), r.chance(0.5) ? 'F' : 'M', Date.UTC(2010, 0, 1), Date.UTC(2024, 0, 1))
      : undefined
    for (const c of [...children, ...(foster ? [foster] : [])]) await writePerson(c)
    const custody = recomposed || !couple ? 'alternee' : 'exclusive'
    for (const c of children)
      await emit('membership', {
        householdId: hid,
        personId: c.id,
        role: label('membership', 'role', 'enfant'),
        custody: label('membership', 'custody', custody),
        legalGuardian: 'Non',
        parentalAuthority: 'Non',
        pickup: 'Non',
        payer: 'Non',
      })
    if (foster)
      await emit('membership', {
        householdId: hid,
        personId: foster.id,
        role: label('membership', 'role', 'enfant'),
        custody: label('membership', 'custody', 'accueil'),
        legalGuardian: 'Non',
        parentalAuthority: 'Non',
        pickup: 'Non',
        payer: 'Non',
      })

    // Shared custody: a child of a recent household also lives here (same person).
    if (recomposed && recent.length > 0) {
      const other = r.pick(recent)
      const c = other.children.find((x) => !children.includes(x))
      if (c) {
        await emit('membership', {
          householdId: hid,
          personId: c.id,
          role: label('membership', 'role', 'enfant'),
          custody: label('membership', 'custody', 'alternee'),
          legalGuardian: 'Non',
          parentalAuthority: 'Non',
          pickup: 'Non',
          payer: 'Non',
        })
        truth.sharedCustodyLinks++
      }
    }

    // Planted duplicate: a person of a recent household entered again here by another agent.
    if (recent.length > 0 && r.chance(0.05)) {
      const other = r.pick(recent)
      const pool = r.chance(0.7) ? other.children : other.adults
      const orig = pool.find((p) => p.birth && !duplicated.has(p.id))
      if (orig) {
        duplicated.add(orig.id)
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
        const dup: GenPerson = {
          id: `I${pad(++personSeq, 7)}`,
          last: `${r.chance(0.2) ? ' ' : ''}${dl}`,
          first: df,
          birth: orig.birth,
          sex: orig.sex,
          phone: r.chance(0.5) ? orig.phone : undefined,
        }
        await writePerson(dup)
        byBirth.get(dup.birth!)?.push({last: matchKey(dup.last), first: matchKey(dup.first)})
        const isChild = other.children.includes(orig)
        await emit('membership', {
          householdId: hid,
          personId: dup.id,
          role: label('membership', 'role', isChild ? 'enfant' : 'responsable'),
          custody: isChild ? label('membership', 'custody', 'alternee') : undefined,
          legalGuardian: yesNo(!isChild),
          parentalAuthority: yesNo(!isChild),
          pickup: yesNo(!isChild),
          payer: 'Non',
        })
        truth.duplicates.push({original: orig.id, duplicate: dup.id, variant})
      }
    }

    // An emergency contact now and then (a grandparent), role contact.
    if (r.chance(0.1)) {
      const g = newPerson(r.chance(0.5) ? last : r.pick(LAST), r.chance(0.5) ? 'F' : 'M', Date.UTC(1945, 0, 1), Date.UTC(1965, 0, 1), false)
      g.phone = phone('05 58')
      await writePerson(g)
      await emit('membership', {
        householdId: hid,
        personId: g.id,
        role: label('membership', 'role', 'contact'),
        custody: undefined,
        legalGuardian: 'Non',
        parentalAuthority: 'Non',
        pickup: 'Oui',
        payer: 'Non',
      })
    }

    // Quotient familial history: one record per year, the last one open.
    const years = r.int(1, 3)
    let qf = r.int(300, 1800)
    for (let y = 0; y < years; y++) {
      const year = 2025 - years + 1 + y
      await emit('quotient', {
        id: `Q${pad(++qfSeq, 7)}`,
        householdId: hid,
        startDate: `01/01/${year}`,
        endDate: y === years - 1 ? undefined : `31/12/${year}`,
        value: String(qf),
        source: label('quotient', 'source', regime === 'MSA' ? 'MSA' : r.chance(0.9) ? 'CAF' : 'MANUEL'),
      })
      qf = Math.max(0, qf + r.int(-150, 150))
    }

    // Per child: health, authorisations, registrations and attendance.
    const regIds: string[] = []
    for (const c of [...children, ...(foster ? [foster] : [])]) {
      if (r.chance(0.25)) {
        const kind = r.pick(['allergie', 'pai', 'vaccination'] as const)
        const allergen = r.pick(ALLERGIES)
        await emit('health', {
          id: `S${pad(++healthSeq, 7)}`,
          personId: c.id,
          kind: label('health', 'kind', kind),
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
      const age = (REF_DATE - Date.parse(c.birth!)) / (365.25 * DAY)
      await emit('authorisation', {
        id: `A${pad(++authSeq, 7)}`,
        personId: c.id,
        kind: label('authorisation', 'kind', 'image'),
        granted: yesNo(r.chance(0.8)),
        contactName: undefined,
        contactPhone: undefined,
      })
      if (age >= 10)
        await emit('authorisation', {
          id: `A${pad(++authSeq, 7)}`,
          personId: c.id,
          kind: label('authorisation', 'kind', 'sortie_seul'),
          granted: yesNo(r.chance(0.6)),
          contactName: undefined,
          contactPhone: undefined,
        })
      if (r.chance(0.3))
        await emit('authorisation', {
          id: `A${pad(++authSeq, 7)}`,
          personId: c.id,
          kind: label('authorisation', 'kind', 'contact_urgence'),
          granted: 'Oui',
          contactName: `${r.pick(FIRST_F)} ${r.pick(LAST)}`,
          contactPhone: phone('05 58'),
        })
      const structures: string[] =
        age < 3
          ? ['creche']
          : age < 12
            ? ['periscolaire', 'restauration', ...(r.chance(0.4) ? ['alsh'] : [])]
            : r.chance(0.3)
              ? ['alsh']
              : []
      for (const s of structures) {
        const rid = `R${pad(++regSeq, 7)}`
        regIds.push(rid)
        await emit('registration', {
          id: rid,
          personId: c.id,
          householdId: hid,
          structure: label('registration', 'structure', s),
          site: r.pick(SITES[s]!),
          startDate: '01/09/2025',
          endDate: r.chance(0.5) ? '03/07/2026' : undefined,
          status: label('registration', 'status', r.chance(0.9) ? 'validee' : 'attente'),
        })
        if (r.chance(0.2)) {
          for (let d = 0, n = r.int(1, 3); d < n; d++)
            await emit('attendance', {
              registrationId: rid,
              date: frDate(iso(Date.UTC(2025, 8, 1 + d))),
              state: label('attendance', 'state', r.pick(['reservation', 'present', 'present', 'absent_justifie', 'absent'])),
            })
        }
      }
    }

    // Invoices, payments and their allocation: some paid, some partly, some not at all.
    const nInv = r.int(1, 3)
    for (let i = 0; i < nInv; i++) {
      const fid = `FA${pad(++invSeq, 8)}`
      const amount = r.int(500, 40000)
      const what = r.pick(['Restauration scolaire', 'Accueil périscolaire', 'ALSH vacances', 'Crèche'])
      await emit('invoice', {
        id: fid,
        householdId: hid,
        date: frDate(iso(Date.UTC(2025, r.int(0, 7), r.int(1, 28)))),
        label: `${what} – ${r.int(3, 20)} × ${frMoney(r.int(150, 900))} €`,
        amount: frMoney(amount),
      })
      truth.totals.invoiced += amount
      const p = r.next()
      const paid = p < 0.8 ? amount : p < 0.9 ? Math.floor(amount / 2) : 0
      if (paid > 0) {
        const rid = `RG${pad(++paySeq, 8)}`
        const extra = r.chance(0.05) ? r.int(100, 2000) : 0 // overpayment, left unallocated
        await emit('payment', {
          id: rid,
          householdId: hid,
          date: frDate(iso(Date.UTC(2025, 8, r.int(1, 28)))),
          amount: frMoney(paid + extra),
          mode: label('payment', 'mode', r.pick(['cheque', 'virement', 'prelevement', 'cb', 'especes', 'cesu'])),
        })
        await emit('allocation', {paymentId: rid, invoiceId: fid, amount: frMoney(paid)})
        truth.totals.paid += paid
      }
    }

    if (r.chance(0.3))
      await emit('document', {
        id: `D${pad(++docSeq, 7)}`,
        householdId: hid,
        personId: undefined,
        kind: label('document', 'kind', 'avis_caf'),
        reference: `${hid}_attestation_caf_2025.pdf`,
        date: frDate(iso(Date.UTC(2025, r.int(0, 7), r.int(1, 28)))),
      })
    if (recomposed && r.chance(0.5))
      await emit('document', {
        id: `D${pad(++docSeq, 7)}`,
        householdId: hid,
        personId: children[0]!.id,
        kind: label('document', 'kind', 'jugement_garde'),
        reference: `${hid}_jugement_garde.pdf`,
        date: undefined,
      })

    // Orphans: a child pointing to no household, a payment allocated to no invoice.
    if (orphanEvery > 0 && h % orphanEvery === 0) {
      const o = newPerson(r.pick(LAST), r.chance(0.5) ? 'F' : 'M', Date.UTC(2012, 0, 1), Date.UTC(2022, 0, 1))
      await writePerson(o)
      await emit('membership', {
        householdId: `F9${pad(h, 6)}`,
        personId: o.id,
        role: label('membership', 'role', 'enfant'),
        custody: label('membership', 'custody', 'exclusive'),
        legalGuardian: 'Non',
        parentalAuthority: 'Non',
        pickup: 'Non',
        payer: 'Non',
      })
      truth.orphans.childrenWithoutHousehold.push(o.id)
      const rid = `RG${pad(++paySeq, 8)}`
      await emit('payment', {id: rid, householdId: hid, date: '15/09/2025', amount: '10,00', mode: label('payment', 'mode', 'cheque')})
      await emit('allocation', {paymentId: rid, invoiceId: `FA9${pad(h, 7)}`, amount: '10,00'})
      truth.orphans.allocationsWithoutInvoice++
    }

    recent.push({household: hid, children, adults})
    if (recent.length > 30) recent.shift()
  }

  // RPE childminders: about one per 20 families, agrément for 1 to 4 children.
  const nAm = Math.max(1, Math.floor(opts.families / 20))
  for (let i = 1; i <= nAm; i++) {
    const [cp, , city] = r.pick(COMMUNES)
    const id = `AM${pad(i, 5)}`
    const capacity = r.int(1, 4)
    await emit('childminder', {
      id,
      lastName: r.pick(LAST),
      firstName: r.pick(FIRST_F),
      agrementNumber: `40-AG-${pad(r.int(1, 99999), 5)}`,
      agrementDate: frDate(iso(Date.UTC(r.int(2000, 2024), r.int(0, 11), r.int(1, 28)))),
      capacity: String(capacity),
      phone: phone(r.chance(0.5) ? '05 58' : '06'),
      postalCode: cp,
      city,
    })
    await emit('availability', {childminderId: id, fromDate: '01/09/2025', places: String(r.int(0, capacity))})
    if (r.chance(0.3)) await emit('availability', {childminderId: id, fromDate: '05/01/2026', places: String(r.int(0, capacity))})
  }

  for (const w of writers.values()) await w.end()
  truth.totals.unpaid = truth.totals.invoiced - truth.totals.paid
  for (const name of ENTITY_ORDER) if (mapping.entities[name] && counts[name] === undefined) counts[name] = 0
  writeFileAtomic(join(out, TRUTH_FILE), JSON.stringify(truth, null, 2) + '\n', {mode: 0o600})
  return truth
}
