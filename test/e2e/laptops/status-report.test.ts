import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openStore, type Store} from '../../../src/store/db.js'
import type {LaptopState} from '../../../src/laptops/states.js'
import {runAlpi} from '../../helpers/cli.js'
import {DIALECTS, tempDir} from '../../helpers/context.js'
import {freshPgDatabase} from '../../helpers/pg.js'

/**
 * `laptops status` and `laptops report` for a manager, through the built binary, on SQLite and
 * PostgreSQL: 420 generated laptops received over nine weeks, each with the chain of moves it
 * made (received, diagnosed, wiped, imaged, ready, allocated, handed over; some unallocated and
 * allocated again), at chosen instants that cross Sunday midnight in Paris and the end of summer
 * time. The weekly throughput, ready stock, stage medians and quotas must equal a computation
 * written here from the store's rows; the HTML report is loaded in a real headless Chromium.
 */
const NOW = '2026-12-09T10:00:00Z' // a Wednesday, ISO week 50
const HOUR = 3_600_000
const DAY = 24 * HOUR
const EVIL = '<script>alert("x")</script> Modèle & Cie'
const MODELS: [string, string][] = [
  ['Lenovo', 'ThinkPad L380'],
  ['Dell', 'Latitude 5490'],
  ['HP', 'EliteBook 840 G5'],
  ['Lenovo', 'ThinkPad T480'],
  ['Acme', EVIL],
]
const SITES = [
  {code: 'SMALAH', quota: 60},
  {code: 'CCLA', quota: 45},
  {code: 'MSAP', quota: 30},
]

interface Ev {
  serial: string
  to_state: string
  from_state: string | null
  at: string
}

/** The laptops and their moves: received every 4 hours from Monday 28 September 2026, 06:00 UTC. */
function generate(n: number) {
  const laptops = []
  const events: Ev[] = []
  const end = Date.parse(NOW)
  for (let i = 0; i < n; i++) {
    const serial = `SR${String(i).padStart(5, '0')}`
    const [maker, model] = MODELS[i % MODELS.length]!
    const goal = (
      ['received', 'diagnosed', 'wiped', 'imaged', 'ready', 'ready', 'allocated', 'handed_over', 'handed_over', 'scrapped'] as const
    )[i % 10]!
    let t = Date.parse('2026-09-28T06:00:00Z') + i * 4 * HOUR
    const chain: [LaptopState, number][] = [
      ['received', 0],
      ['diagnosed', ((i % 3) + 1) * DAY + (i % 5) * HOUR],
    ]
    if (goal === 'scrapped') chain.push(['scrapped', DAY])
    else {
      chain.push(['wiped', DAY + (i % 5) * HOUR], ['imaged', 12 * HOUR], ['ready', (i % 7) * DAY + 3 * HOUR])
      // some were allocated by mistake, unallocated (back to ready) and allocated again later
      if (i % 20 === 7) chain.push(['allocated', DAY], ['ready', 2 * DAY + 5 * HOUR])
      chain.push(['allocated', (i % 4) * DAY + 7 * HOUR], ['handed_over', ((i % 6) + 1) * DAY + (i % 11) * HOUR])
    }
    // the moves up to the laptop's goal (its last one), and none after now
    const stop = chain.map(([to]) => to).lastIndexOf(goal)
    let state: LaptopState = 'received'
    let from: string | null = null
    for (const [to, delay] of chain.slice(0, stop + 1)) {
      t += delay
      if (t > end) break
      events.push({serial, to_state: to, from_state: from, at: new Date(t).toISOString()})
      from = state = to
    }
    const site = state === 'allocated' || state === 'handed_over' ? SITES[i % SITES.length]!.code : null
    const received = events.find((e) => e.serial === serial)!.at
    const last = events.filter((e) => e.serial === serial).at(-1)!.at
    laptops.push({
      serial,
      asset_tag: null,
      maker,
      model,
      lot: null,
      notes: null,
      state,
      grade: state === 'received' ? null : 'B',
      verdict: state === 'received' ? null : state === 'scrapped' ? 'scrap' : 'ready',
      verdict_reasons: null,
      site_code: site,
      beneficiary_ref: null,
      image_name: null,
      image_sha256: null,
      wipe_certificate_id: null,
      snapshot: null,
      probed_at: null,
      state_changed_at: last,
      created_at: received,
      updated_at: last,
    })
  }
  return {laptops, events}
}

async function seed(store: Store, n: number): Promise<void> {
  const at = '2026-09-01T00:00:00.000Z'
  const {laptops, events} = generate(n)
  await store.db
    .insertInto('laptop_sites')
    .values(
      SITES.map((s) => ({
        code: s.code,
        name: s.code === 'CCLA' ? 'Centre <b>social</b> de Dax' : `Lieu ${s.code}`,
        commune: 'Dax',
        convention_ref: `CONV-${s.code}`,
        convention_signed: '2026-01-01',
        convention_end: '2027-06-30',
        quota: s.quota,
        contact: null,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute()
  for (let i = 0; i < laptops.length; i += 200)
    await store.db
      .insertInto('laptops')
      .values(laptops.slice(i, i + 200))
      .execute()
  const rows = events.map((e, k) => ({
    id: `ev-${k}`,
    serial: e.serial,
    at: e.at,
    day: e.at.slice(0, 10),
    from_state: e.from_state,
    to_state: e.to_state,
    actor: 'seed',
    detail: null,
  }))
  for (let i = 0; i < rows.length; i += 300)
    await store.db
      .insertInto('laptop_events')
      .values(rows.slice(i, i + 300))
      .execute()
}

/** The Monday ('YYYY-MM-DD') of the ISO week of the Paris calendar day of an instant, and that week's label. */
function parisWeek(at: string): {week: string; from: string} {
  const local = new Date(at).toLocaleDateString('sv-SE', {timeZone: 'Europe/Paris'}) // YYYY-MM-DD
  const d = new Date(`${local}T00:00:00Z`)
  const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY)
  // ISO week-year: the year of that week's Thursday; week 1 holds 4 January.
  const year = new Date(monday.getTime() + 3 * DAY).getUTCFullYear()
  const jan4 = new Date(Date.UTC(year, 0, 4))
  const week1 = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY)
  const week = Math.round((monday.getTime() - week1.getTime()) / (7 * DAY)) + 1
  return {week: `${year}-W${String(week).padStart(2, '0')}`, from: monday.toISOString().slice(0, 10)}
}

function med(xs: number[]): number | null {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
  return Math.round(m * 10) / 10
}

/** What the status must say, computed here from the rows of the store. */
async function expected(store: Store, weeks: number) {
  const evs = (await store.db.selectFrom('laptop_events').select(['serial', 'to_state', 'at']).execute()).map((e) => ({
    ...e,
    t: Date.parse(String(e.at)),
  }))
  const laptops = await store.db.selectFrom('laptops').select(['serial', 'maker', 'model', 'state', 'site_code']).execute()
  const thisMonday = parisWeek(NOW).from
  const table = Array.from({length: weeks}, (_, k) => {
    const from = new Date(Date.parse(`${thisMonday}T00:00:00Z`) - (weeks - 1 - k) * 7 * DAY).toISOString().slice(0, 10)
    return {...parisWeek(`${from}T12:00:00Z`), received: 0, wiped: 0, ready: 0, given: 0}
  })
  const key = {received: 'received', wiped: 'wiped', ready: 'ready', handed_over: 'given'} as const
  for (const e of evs) {
    const w = table.find((x) => x.week === parisWeek(String(e.at)).week)
    if (w && e.to_state in key) w[key[e.to_state as keyof typeof key]]++
  }
  const bySerial = new Map<string, typeof evs>()
  for (const e of evs) bySerial.set(e.serial, [...(bySerial.get(e.serial) ?? []), e])
  const toReady: number[] = []
  const toGiven: number[] = []
  for (const list of bySerial.values()) {
    list.sort((a, b) => a.t - b.t)
    const rec = list.find((e) => e.to_state === 'received')
    const ready = list.find((e) => e.to_state === 'ready' && rec && e.t >= rec.t)
    if (rec && ready) toReady.push((ready.t - rec.t) / DAY)
    const given = list.find((e) => e.to_state === 'handed_over')
    const lastReady = given && list.filter((e) => e.to_state === 'ready' && e.t <= given.t).at(-1)
    if (given && lastReady) toGiven.push((given.t - lastReady.t) / DAY)
  }
  const ready = new Map<string, number>()
  for (const l of laptops.filter((x) => x.state === 'ready'))
    ready.set(`${l.maker} ${l.model}`, (ready.get(`${l.maker} ${l.model}`) ?? 0) + 1)
  const sites = [...SITES]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((s) => {
      const used = laptops.filter((l) => l.site_code === s.code && (l.state === 'allocated' || l.state === 'handed_over')).length
      return {site: s.code, quota: s.quota, used, remaining: Math.max(0, s.quota - used)}
    })
  return {
    weeks: table,
    ready,
    stages: {
      received_to_ready: {median_days: med(toReady), laptops: toReady.length},
      ready_to_given: {median_days: med(toGiven), laptops: toGiven.length},
    },
    sites,
    total: laptops.length,
  }
}

/**
 * Load a page in the system's headless Chromium: its DOM after load, a screenshot, and every
 * console line (a script error is "Uncaught ...", a refused load is a console error too).
 */
function chromium(file: string, screenshot: string, profile: string): {dom: string; console: string[]} {
  const common = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    `--user-data-dir=${profile}`,
    '--enable-logging=stderr',
    '--v=0',
    '--window-size=1200,2000',
  ]
  const dump = spawnSync('chromium', [...common, '--dump-dom', `file://${file}`], {encoding: 'utf8', timeout: 60_000})
  const shot = spawnSync('chromium', [...common, `--screenshot=${screenshot}`, `file://${file}`], {encoding: 'utf8', timeout: 60_000})
  expect(dump.status, dump.stderr).toBe(0)
  expect(shot.status, shot.stderr).toBe(0)
  const console = `${dump.stderr}\n${shot.stderr}`.split('\n').filter((l) => /:CONSOLE[:(\]]|Uncaught/.test(l))
  return {dom: dump.stdout, console}
}

describe.each(DIALECTS)('laptops status and report for a manager (binary, %s)', (dialect) => {
  const dir = tempDir('alpi-e2e-status-')
  let url: string
  let drop: () => Promise<void> = async () => undefined
  let want: Awaited<ReturnType<typeof expected>>
  const alpi = (args: string[]) => runAlpi([...args, '--db', url], {cwd: dir.path, env: {ALPI_NOW: NOW}})
  const withStore = async <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
    const s = await openStore({url})
    try {
      return await fn(s)
    } finally {
      await s.close()
    }
  }

  beforeAll(async () => {
    if (dialect === 'sqlite') url = join(dir.path, 'alpi.sqlite')
    else ({url, drop} = await freshPgDatabase())
    await withStore((s) => seed(s, 420))
    want = await withStore((s) => expected(s, 12))
  }, 120_000)
  afterAll(async () => {
    await drop()
    dir.cleanup()
  })

  it('status --json: the weekly throughput, ready stock, stage medians and quotas equal a direct computation from the store', async () => {
    const r = await alpi(['laptops', 'status', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const s = r.json().result
    expect(s.total).toBe(420)
    expect(
      s.weeks.map(({week, from, received, wiped, ready, given}: Record<string, unknown>) => ({week, from, received, wiped, ready, given})),
    ).toEqual(want.weeks)
    expect(s.weeks.at(-1).week).toBe('2026-W50')
    // the data must exercise the figures: every kind of move in several weeks
    for (const k of ['received', 'wiped', 'ready', 'given'] as const)
      expect(want.weeks.filter((w) => w[k] > 0).length, k).toBeGreaterThan(3)
    expect(
      Object.fromEntries(s.readyByModel.map((m: {maker: string; model: string; ready: number}) => [`${m.maker} ${m.model}`, m.ready])),
    ).toEqual(Object.fromEntries(want.ready))
    expect(s.stages).toEqual(want.stages)
    expect(want.stages.ready_to_given.laptops).toBeGreaterThan(50)
    expect(s.bySite.map(({site, quota, used, remaining}: Record<string, unknown>) => ({site, quota, used, remaining}))).toEqual(want.sites)
    // a longer window: 20 weeks reach back before the first laptop (empty weeks are listed)
    const long = (await alpi(['laptops', 'status', '--weeks', '20', '--json'])).json().result
    expect(long.weeks).toHaveLength(20)
    expect(long.weeks.slice(-12)).toEqual(s.weeks)
    expect(long.weeks[0]).toMatchObject({received: 0, wiped: 0, ready: 0, given: 0})
  })

  it('the week is the one in Paris: a move on Sunday 22:00 UTC in summer time counts in the next week', async () => {
    // 2026-10-04 is a Sunday; 22:00 UTC is Monday 00:00 in Paris (UTC+2) - week 41, not 40
    expect(parisWeek('2026-10-04T22:00:00.000Z').week).toBe('2026-W41')
    const evs = await withStore((s) => s.db.selectFrom('laptop_events').select('at').where('at', '=', '2026-10-04T22:00:00.000Z').execute())
    expect(evs.length).toBeGreaterThan(0)
    // and after the end of summer time, 22:00 UTC on a Sunday is still Sunday in Paris
    expect(parisWeek('2026-11-01T22:00:00.000Z').week).toBe('2026-W44')
  })

  it('status as text, in English and in French; a bad --weeks is a usage error', async () => {
    const en = await alpi(['laptops', 'status'])
    expect(en.code, en.stderr).toBe(0)
    expect(en.stderr).toBe('')
    expect(en.stdout).toContain('Throughput per week (ISO weeks, Europe/Paris), last 12:')
    const cclaUsed = want.sites.find((x) => x.site === 'CCLA')!.used
    const w49 = want.weeks.find((w) => w.week === '2026-W49')!
    expect(en.stdout).toMatch(new RegExp(`2026-W49\\s+2026-11-30\\s+${w49.received}\\s+${w49.wiped}\\s+${w49.ready}\\s+${w49.given}\\n`))
    expect(en.stdout).toMatch(
      new RegExp(`received -> ready\\s+${want.stages.received_to_ready.median_days}\\s+${want.stages.received_to_ready.laptops}`),
    )
    expect(en.stdout).toMatch(new RegExp(`CCLA\\s+45\\s+${cclaUsed}\\s+${Math.max(0, 45 - cclaUsed)}\\s+2027-06-30`))
    const fr = await alpi(['laptops', 'status', '--lang', 'fr'])
    expect(fr.code, fr.stderr).toBe(0)
    expect(fr.stdout).toContain('Débit par semaine (semaines ISO, heure de Paris), 12 dernières :')
    expect(fr.stdout).toMatch(/SEMAINE\s+DU\s+REÇUS\s+EFFACÉS\s+PRÊTS\s+REMIS/)
    expect(fr.stdout).toContain(`reçu -> prêt`)
    expect(fr.stdout).toContain(String(want.stages.ready_to_given.median_days).replace('.', ','))
    const bad = await alpi(['laptops', 'status', '--weeks', '0'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--weeks/)
  })

  it("report: one self-contained French file whose figures are the status's, names escaped", async () => {
    const file = join(dir.path, 'rapport.html')
    const r = await alpi(['laptops', 'report', '--out', file, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json().result).toMatchObject({file, total: 420})
    const html = readFileSync(file, 'utf8')
    // self-contained: nothing loaded from anywhere, no script at all
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\b(src|href)=|url\(|@import/i)
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:/)
    expect(html).toContain('Content-Security-Policy')
    // escaped, shown as text
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Modèle &amp; Cie')
    expect(html).toContain('Centre &lt;b&gt;social&lt;/b&gt; de Dax')
    // French: dates in words, no-break spaces of French typography, decimal commas
    expect(html).toContain('état au 9 décembre 2026')
    expect(html).toContain('semaine du 30 novembre 2026')
    expect(html).toContain('30 juin 2027')
    expect(html).toContain('\u00A0: des comptes uniquement')
    expect(html).not.toMatch(/[^\s>] :/)
    const stage = want.stages.received_to_ready.median_days!
    expect(html).toContain(`${String(stage).replace('.', ',')}\u00A0jours`)
    // the weekly table has the status's figures
    for (const w of want.weeks) {
      const d = new Date(`${w.from}T12:00:00Z`)
        .toLocaleDateString('fr-FR', {
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          timeZone: 'UTC',
        })
        .replace(/^1 /, '1er ')
      expect(html).toContain(
        `<tr><td>S${Number(w.week.slice(6))} - semaine du ${d}</td><td class="n">${w.received}</td><td class="n">${w.wiped}</td><td class="n">${w.ready}</td><td class="n">${w.given}</td></tr>`,
      )
    }
    for (const s of want.sites)
      expect(html).toMatch(
        new RegExp(
          `\\(${s.site}\\)</td><td class="n">${s.quota}</td><td class="n">\\d+</td><td class="n">\\d+</td><td class="n">${s.used}</td><td class="n">${s.remaining}</td>`,
        ),
      )
    execFileSync('xmllint', ['--html', '--noout', file])
    // --weeks: the same weeks as the status's last ones
    const short = join(dir.path, 'court.html')
    expect((await alpi(['laptops', 'report', '--out', short, '--weeks', '4'])).code).toBe(0)
    expect(readFileSync(short, 'utf8').match(/<tr><td>S\d+ - semaine du /g)).toHaveLength(4)
    expect(readFileSync(short, 'utf8')).toContain('sur les 4 dernières semaines')
  })
})

// The report is the same file whatever the store: the browser check runs once, on SQLite.
describe('laptops report in a real headless Chromium', {timeout: 120_000}, () => {
  const dir = tempDir('alpi-e2e-report-chromium-')
  const db = join(dir.path, 'alpi.sqlite')
  afterAll(() => dir.cleanup())

  it('no console error, the charts in the DOM, a screenshot; the check catches a planted script error', async () => {
    expect(existsSync('/usr/bin/chromium'), "Debian's chromium package (test/setup-machine.sh installs it)").toBe(true)
    const store = await openStore({url: db})
    await seed(store, 420).finally(() => store.close())
    const file = join(dir.path, 'rapport.html')
    const r = await runAlpi(['laptops', 'report', '--out', file, '--db', db], {cwd: dir.path, env: {ALPI_NOW: NOW}})
    expect(r.code, r.stderr).toBe(0)
    const shot = join(dir.path, 'rapport.png')
    const page = chromium(file, shot, join(dir.path, 'chromium-profile'))
    expect(page.console).toEqual([])
    expect(page.dom).toContain('<svg')
    expect((page.dom.match(/<svg /g) ?? []).length).toBe(4)
    expect(page.dom).toContain('class="chart-weeks"')
    expect((page.dom.match(/<rect /g) ?? []).length).toBeGreaterThan(48)
    expect(page.dom).toContain('&lt;script&gt;alert')
    // a PNG of the whole window was written
    const png = readFileSync(shot)
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.readUInt32BE(16)).toBe(1200)
    if (process.env.ALPI_KEEP_SCREENSHOT) writeFileSync(process.env.ALPI_KEEP_SCREENSHOT, png)

    // The check itself must catch a script error: the same page with a failing script planted in it.
    const planted = join(dir.path, 'planted.html')
    writeFileSync(
      planted,
      readFileSync(file, 'utf8')
        .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
        .replace('</body>', '<script>notDefinedAnywhere()</script></body>'),
    )
    expect(chromium(planted, join(dir.path, 'planted.png'), join(dir.path, 'chromium-profile')).console.join('\n')).toMatch(
      /Uncaught ReferenceError: notDefinedAnywhere/,
    )
    // and with the report's policy in place, any script (even a correct one) is refused loudly
    const refused = join(dir.path, 'refused.html')
    writeFileSync(refused, readFileSync(file, 'utf8').replace('</body>', '<script>document.title = "x"</script></body>'))
    expect(chromium(refused, join(dir.path, 'refused.png'), join(dir.path, 'chromium-profile')).console.join('\n')).toMatch(
      /Content Security Policy/,
    )
  })
})
