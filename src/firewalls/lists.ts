import {createHash} from 'node:crypto'
import {audit, type ServiceContext} from '../core/context.js'
import {UsageError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {runTool} from '../remote/exec.js'
import {normaliseDomain} from './net.js'
import {loadProfile, type FilterInput} from './profile.js'
import type {SchoolRecord} from './schools.js'

/** The latest list version loaded (`firewalls lists update`), or undefined. */
export async function latestListVersion(ctx: ServiceContext): Promise<string | undefined> {
  const row = await ctx.store.db.selectFrom('fw_list_versions').select('version').orderBy('loaded_at', 'desc').orderBy('version', 'desc').limit(1).executeTakeFirst()
  return row?.version
}

/**
 * The list domains a school blocks: its categories (overrides, else the profile's defaults)
 * from the latest list version. Whitelist schools block everything but their allowed names,
 * so they take no list domains.
 */
export async function listFilterFor(ctx: ServiceContext, school: SchoolRecord): Promise<FilterInput> {
  const version = await latestListVersion(ctx)
  if (!version) return {}
  if (school.overrides.whitelist) return {listVersion: version}
  const categories = school.overrides.categories ?? loadProfile(ctx.templatesDir, school.profile).defaults.categories
  if (categories.length === 0) return {listVersion: version}
  const rows = await ctx.store.db.selectFrom('fw_list_categories').select(['category', 'domains']).where('version', '=', version).where('category', 'in', categories).execute()
  return {listVersion: version, listDomains: rows.flatMap((r) => (r.domains ? r.domains.split('\n') : []))}
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
  categories: Record<string, number>
  domains: number
  /** Lines that are not domain names (IPs, junk), per category. */
  skipped: Record<string, number>
  /** Categories wanted but missing from the source. */
  missing: string[]
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
    const cats = o.categories ?? (() => {
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

/** `firewalls lists update --from DIR`: load the chosen UT1 categories as a new list version. */
export async function updateLists(ctx: ServiceContext, opts: ListsUpdateOptions): Promise<ListsUpdateResult> {
  const {existsSync, mkdtempSync, rmSync, statSync} = await import('node:fs')
  const {tmpdir} = await import('node:os')
  const {join, resolve} = await import('node:path')
  const source = resolve(opts.from)
  if (!existsSync(source)) throw new UsageError(`${opts.from} does not exist`, {actions: ['Give the folder of the unpacked UT1 lists (one folder per category), or blacklists.tar.gz.']})
  let dir = source
  let tmp: string | undefined
  try {
    if (statSync(source).isFile()) {
      tmp = mkdtempSync(join(tmpdir(), 'alpi-ut1-'))
      await runTool('tar', ['-xzf', source, '-C', tmp], {pkg: 'tar', signal: ctx.signal, timeoutMs: 600_000})
      // blacklists.tar.gz unpacks to blacklists/<category>/
      const {readdirSync} = await import('node:fs')
      const top = readdirSync(tmp)
      dir = top.length === 1 && statSync(join(tmp, top[0]!)).isDirectory() ? join(tmp, top[0]!) : tmp
    }
    const wanted = opts.categories && opts.categories.length > 0 ? opts.categories : await categoriesInUse(ctx)
    for (const c of wanted) {
      if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(c)) throw new UsageError(`${JSON.stringify(c)} is not a category name`)
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
      const r = await readDomains(file)
      categories[c] = r.domains.length
      if (r.skipped > 0) skipped[c] = r.skipped
      content.push({category: c, domains: r.domains})
    }
    if (content.length === 0) throw new UsageError(`No wanted category found in ${opts.from} (wanted: ${wanted.join(', ')})`, {actions: ['Check the folder: one folder per category, each with a `domains` file (UT1 format).']})
    if (missing.length > 0) ctx.out.warn(`Categories missing from ${opts.from}: ${missing.join(', ')}`)
    const h = createHash('sha256')
    for (const c of content) h.update(`${c.category}\n${c.domains.join('\n')}\n`)
    const version = `ut1-${nowIso().slice(0, 10).replace(/-/g, '')}-${h.digest('hex').slice(0, 12)}`
    const domains = content.reduce((n, c) => n + c.domains.length, 0)
    // Same content as a version already loaded: nothing new.
    const same = await ctx.store.db.selectFrom('fw_list_versions').select('version').where('version', 'like', `ut1-%-${version.slice(-12)}`).executeTakeFirst()
    if (same) return {version: same.version, source, status: 'unchanged', categories, domains, skipped, missing}
    await ctx.store.transaction(async (trx) => {
      await trx.insertInto('fw_list_versions').values({version, loaded_at: nowIso(), source, categories: JSON.stringify(categories), domains, actor: ctx.actor}).execute()
      for (const c of content) await trx.insertInto('fw_list_categories').values({version, category: c.category, domains_count: c.domains.length, domains: c.domains.join('\n')}).execute()
      await audit(ctx, trx, {entity: 'fw_list', entityId: version, action: 'load', summary: `list ${version}: ${content.length} categories, ${domains} domains`, data: {categories, missing}})
    })
    return {version, source, status: 'new', categories, domains, skipped, missing}
  } finally {
    if (tmp) rmSync(tmp, {recursive: true, force: true})
  }
}
