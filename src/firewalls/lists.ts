import {createHash} from 'node:crypto'
import {sql} from '../store/kysely.js'
import {audit, type ServiceContext} from '../context/service-context.js'
import {UsageError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {runTool} from '../tools/exec.js'
import {t} from './messages/index.js'
import {normaliseDomain} from './net.js'
import {loadProfile, type FilterInput} from './profile.js'
import type {SchoolRecord} from './schools.js'

/** The latest list version loaded (`firewalls lists update`), or undefined. */
export async function latestListVersion(ctx: ServiceContext): Promise<string | undefined> {
  const row = await ctx.store.db
    .selectFrom('fw_list_versions')
    .select('version')
    .orderBy('loaded_at', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.version
}

/** One category of a list version: how many domains, when they were read from UT1, in which version. */
export interface ListCategoryInfo {
  domains: number
  /** When this category's domains were read from a UT1 source (older than the version when kept from one). */
  loadedAt: string
  /** The version whose update read them. */
  from: string
}

export interface ListVersionInfo {
  version: string
  loadedAt: string
  categories: Record<string, ListCategoryInfo>
}

/**
 * A list version and its categories. fw_list_versions.categories is JSON: per category
 * `{domains, loadedAt, from}`; versions loaded before merges existed hold a bare count,
 * read as loaded with the version.
 */
export async function readListVersion(ctx: ServiceContext, version: string): Promise<ListVersionInfo | undefined> {
  const row = await ctx.store.db
    .selectFrom('fw_list_versions')
    .select(['version', 'loaded_at', 'categories'])
    .where('version', '=', version)
    .executeTakeFirst()
  if (!row) return undefined
  const raw = JSON.parse(row.categories || '{}') as Record<string, number | Partial<ListCategoryInfo>>
  const categories: Record<string, ListCategoryInfo> = {}
  for (const [c, v] of Object.entries(raw)) {
    categories[c] =
      typeof v === 'number'
        ? {domains: v, loadedAt: row.loaded_at, from: row.version}
        : {domains: v.domains ?? 0, loadedAt: v.loadedAt ?? row.loaded_at, from: v.from ?? row.version}
  }
  return {version: row.version, loadedAt: row.loaded_at, categories}
}

/** The categories a school's policy requires: its overrides, else its profile's defaults (none in whitelist mode). */
export function requiredCategories(ctx: ServiceContext, school: SchoolRecord): string[] {
  if (school.overrides.whitelist) return []
  return [...new Set(school.overrides.categories ?? loadProfile(ctx.templatesDir, school.profile).defaults.categories)].sort()
}

/**
 * The list domains a school blocks: its required categories from the latest list version
 * (the version every school should have). Whitelist schools block everything but their
 * allowed names, so they take no list domains. `categories` are the ones whose domains are
 * in the filter; `missingCategories` the required ones the version does not hold.
 */
export async function listFilterFor(ctx: ServiceContext, school: SchoolRecord): Promise<FilterInput> {
  const required = requiredCategories(ctx, school)
  const version = await latestListVersion(ctx)
  if (!version) return {categories: [], missingCategories: required}
  if (school.overrides.whitelist || required.length === 0) return {listVersion: version, categories: [], missingCategories: []}
  const rows = await ctx.store.db
    .selectFrom('fw_list_categories')
    .select(['category', 'domains'])
    .where('version', '=', version)
    .where('category', 'in', required)
    .orderBy('category')
    .execute()
  const present = new Set(rows.map((r) => r.category))
  return {
    listVersion: version,
    listDomains: rows.flatMap((r) => (r.domains ? r.domains.split('\n') : [])),
    categories: [...present].sort(),
    missingCategories: required.filter((c) => !present.has(c)),
  }
}

export interface ListsUpdateOptions {
  /** A UT1-format folder (one folder per category with `domains`), or a .tar.gz of one. */
  from: string
  /** Only these categories (default: every category a school or a profile uses). */
  categories?: string[]
}

export interface ListsUpdateResult {
  version: string
  source: string
  status: 'new' | 'unchanged'
  /** The categories read from the source, with their domain counts. */
  categories: Record<string, number>
  /** Domains read from the source. */
  domains: number
  /** Lines that are not domain names (IPs, junk), per category. */
  skipped: Record<string, number>
  /** Categories wanted but missing from the source. */
  missing: string[]
  /** The version this one was merged into (the latest before the update). */
  previous?: string
  /** Categories of the previous version not read this time, kept unchanged (with their own load date). */
  kept: Record<string, ListCategoryInfo>
}

async function readDomains(file: string): Promise<{domains: string[]; skipped: number}> {
  const {createReadStream} = await import('node:fs')
  const {createInterface} = await import('node:readline')
  const set = new Set<string>()
  let skipped = 0
  const rl = createInterface({input: createReadStream(file, {encoding: 'latin1'}), crlfDelay: Infinity})
  for await (const raw of rl) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const d = normaliseDomain(line)
    if (d) set.add(d)
    else skipped++
  }
  return {domains: [...set].sort(), skipped}
}

/** Categories in use: the register's overrides and the profiles' defaults. */
async function categoriesInUse(ctx: ServiceContext): Promise<string[]> {
  const rows = await ctx.store.db.selectFrom('fw_schools').select(['profile', 'overrides']).execute()
  const used = new Set<string>()
  for (const r of rows) {
    const o = JSON.parse(r.overrides || '{}') as {categories?: string[]}
    const cats =
      o.categories ??
      (() => {
        try {
          return loadProfile(ctx.templatesDir, r.profile).defaults.categories
        } catch {
          return []
        }
      })()
    for (const c of cats) used.add(c)
  }
  if (used.size === 0) for (const c of loadProfile(ctx.templatesDir, 'debian-dnsmasq').defaults.categories) used.add(c)
  return [...used].sort()
}

/**
 * `firewalls lists update --from DIR`: read the chosen UT1 categories and merge them into the
 * latest list version. The categories read replace theirs; every other category of the latest
 * version is kept unchanged (with its own load date), so a partial update (`--category malware`)
 * never takes adult or gambling away from the schools. Identical to the latest: unchanged.
 */
export async function updateLists(ctx: ServiceContext, opts: ListsUpdateOptions): Promise<ListsUpdateResult> {
  const {existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync} = await import('node:fs')
  const {tmpdir} = await import('node:os')
  const {join, resolve} = await import('node:path')
  const source = resolve(opts.from)
  if (!existsSync(source)) throw new UsageError(t('listsSourceMissing', {from: opts.from}), {actions: [t('listsSourceMissingAction')]})
  let dir = source
  let tmp: string | undefined
  try {
    if (statSync(source).isFile()) {
      tmp = mkdtempSync(join(tmpdir(), 'alpi-ut1-'))
      // An archive comes from outside: unpacked as plain files for this user, and (below) a
      // category is read only from a real folder holding a real file, never through a link that
      // the archive planted (`adult/domains -> /etc/shadow` would load that file into the store).
      await runTool('tar', ['-xzf', source, '-C', tmp, '--no-same-owner', '--no-same-permissions'], {
        pkg: 'tar',
        signal: ctx.signal,
        timeoutMs: 600_000,
      })
      // blacklists.tar.gz unpacks to blacklists/<category>/
      const top = readdirSync(tmp)
      dir = top.length === 1 && statSync(join(tmp, top[0]!)).isDirectory() ? join(tmp, top[0]!) : tmp
    }
    const wanted = opts.categories && opts.categories.length > 0 ? [...new Set(opts.categories)] : await categoriesInUse(ctx)
    for (const c of wanted) {
      if (!CATEGORY.test(c)) throw new UsageError(t('listsBadCategory', {category: JSON.stringify(c)}))
    }
    const categories: Record<string, number> = {}
    const skipped: Record<string, number> = {}
    const missing: string[] = []
    const content: {category: string; domains: string[]}[] = []
    for (const c of wanted) {
      const file = join(dir, c, 'domains')
      if (!existsSync(file)) {
        missing.push(c)
        continue
      }
      if (tmp && !(lstatSync(dir).isDirectory() && lstatSync(join(dir, c)).isDirectory() && lstatSync(file).isFile())) {
        throw new UsageError(t('listsArchiveLink', {from: opts.from, category: c}), {actions: [t('listsArchiveLinkAction')]})
      }
      const r = await readDomains(file)
      categories[c] = r.domains.length
      if (r.skipped > 0) skipped[c] = r.skipped
      content.push({category: c, domains: r.domains})
    }
    content.sort((a, b) => a.category.localeCompare(b.category))
    if (content.length === 0)
      throw new UsageError(t('listsNothingFound', {from: opts.from, wanted: wanted.join(', ')}), {actions: [t('listsNothingFoundAction')]})
    const domains = content.reduce((n, c) => n + c.domains.length, 0)
    const latest = await latestListVersion(ctx)
    const previous = latest ? await readListVersion(ctx, latest) : undefined
    const kept: Record<string, ListCategoryInfo> = {}
    for (const [c, info] of Object.entries(previous?.categories ?? {})) if (!(c in categories)) kept[c] = info
    if (missing.length > 0)
      ctx.out.warn(
        t('listsMissingCategories', {
          from: opts.from,
          categories: missing.join(', '),
          kept: missing.filter((c) => c in kept).join(', ') || '-',
        }),
      )
    const base = {source, categories, domains, skipped, missing, previous: latest, kept}
    // Same domains as the latest version for every category read: nothing new.
    if (previous && (await sameAsVersion(ctx, previous.version, content))) return {...base, version: previous.version, status: 'unchanged'}
    // The latest version is the one loaded last: never dated at or before the one it merges into.
    let now = nowIso()
    if (previous && now <= previous.loadedAt) now = new Date(Date.parse(previous.loadedAt) + 1).toISOString()
    const h = createHash('sha256')
    for (const c of content) h.update(`${c.category}\n${c.domains.join('\n')}\n`)
    for (const [c, info] of Object.entries(kept).sort(([a], [b]) => a.localeCompare(b))) h.update(`${c}\nfrom ${info.from}\n`)
    const stem = `ut1-${now.slice(0, 10).replace(/-/g, '')}-${h.digest('hex').slice(0, 12)}`
    const all: Record<string, ListCategoryInfo> = {...kept}
    for (const c of content) all[c.category] = {domains: c.domains.length, loadedAt: now, from: ''}
    const total = Object.values(all).reduce((n, c) => n + c.domains, 0)
    let version = stem
    await ctx.store.transaction(async (trx) => {
      // The same content may come back the same day (A, then B, then A again): a new name all the same.
      for (let n = 2; await trx.selectFrom('fw_list_versions').select('version').where('version', '=', version).executeTakeFirst(); n++)
        version = `${stem}-${n}`
      for (const c of content) all[c.category]!.from = version
      await trx
        .insertInto('fw_list_versions')
        .values({version, loaded_at: now, source, categories: JSON.stringify(sortKeys(all)), domains: total, actor: ctx.actor})
        .execute()
      for (const c of content)
        await trx
          .insertInto('fw_list_categories')
          .values({version, category: c.category, domains_count: c.domains.length, domains: c.domains.join('\n')})
          .execute()
      const carried = Object.keys(kept)
      if (latest && carried.length > 0) {
        // Copied inside the database: a kept category (adult is millions of names) never goes through alpi.
        await trx
          .insertInto('fw_list_categories')
          .columns(['version', 'category', 'domains_count', 'domains'])
          .expression(
            trx
              .selectFrom('fw_list_categories')
              .select([sql<string>`${version}`.as('version'), 'category', 'domains_count', 'domains'])
              .where('version', '=', latest)
              .where('category', 'in', carried),
          )
          .execute()
      }
      await audit(ctx, trx, {
        entity: 'fw_list',
        entityId: version,
        action: 'load',
        summary: {
          code: 'fwListLoaded',
          params: {version, categories: content.length, domains, kept: carried.length, previous: latest ?? '-'},
        },
        data: {categories, missing, kept: carried, previous: latest ?? null},
      })
    })
    return {...base, version, status: 'new'}
  } finally {
    if (tmp) rmSync(tmp, {recursive: true, force: true})
  }
}

const CATEGORY = /^[a-z0-9][a-z0-9_-]{0,63}$/

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)))
}

/** Does `version` hold exactly these domains for each of these categories? */
async function sameAsVersion(ctx: ServiceContext, version: string, content: {category: string; domains: string[]}[]): Promise<boolean> {
  for (const c of content) {
    const row = await ctx.store.db
      .selectFrom('fw_list_categories')
      .select('domains')
      .where('version', '=', version)
      .where('category', '=', c.category)
      .executeTakeFirst()
    if (!row || row.domains !== c.domains.join('\n')) return false
  }
  return true
}
