import type {ServiceContext} from '../core/context.js'
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
