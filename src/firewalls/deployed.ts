import {audit, type ServiceContext} from '../context/service-context.js'
import {newId, nowIso} from '../core/ids.js'
import {readListVersion, requiredCategories} from './lists.js'
import type {RenderedConfig} from './profile.js'
import type {SchoolRecord} from './schools.js'

export type DeployOutcome = 'confirmed' | 'rolled_back' | 'failed'

/** The journal's summary of a deploy attempt, per outcome. */
const DEPLOYED = {confirmed: 'fwDeployConfirmed', rolled_back: 'fwDeployRolledBack', failed: 'fwDeployFailed'} as const

/**
 * Record one deploy attempt (and, when confirmed, the files now on the box: what the next
 * plan diffs against) with its audit entry, in one transaction.
 */
export async function recordDeployment(
  ctx: ServiceContext,
  opts: {
    config: RenderedConfig
    job: string
    outcome: DeployOutcome
    errorCode?: string
    detail?: Record<string, unknown>
    listVersion?: string
  },
): Promise<void> {
  const at = nowIso()
  const {config} = opts
  await ctx.store.transaction(async (trx) => {
    // A confirmed deploy records the list categories now on the box: the next deploy may not drop one unnoticed.
    const detail =
      opts.outcome === 'confirmed'
        ? {...opts.detail, listVersion: config.listVersion ?? null, categories: config.listCategories}
        : opts.detail
    await trx
      .insertInto('fw_deployments')
      .values({
        id: newId(),
        uai: config.uai,
        job: opts.job,
        at,
        config_hash: config.hash,
        outcome: opts.outcome,
        error_code: opts.errorCode ?? null,
        detail: detail ? JSON.stringify(detail) : null,
        actor: ctx.actor,
      })
      .execute()
    if (opts.outcome === 'confirmed') {
      await trx.deleteFrom('fw_deployed_files').where('uai', '=', config.uai).execute()
      for (const f of config.files)
        await trx
          .insertInto('fw_deployed_files')
          .values({uai: config.uai, path: f.path, sha256: f.sha256, content: f.content, mode: f.mode, deployed_at: at})
          .execute()
      await trx
        .updateTable('fw_schools')
        .set({deployed_hash: config.hash, deployed_at: at, deployed_list_version: opts.listVersion ?? null})
        .where('uai', '=', config.uai)
        .execute()
    }
    await audit(ctx, trx, {
      entity: 'fw_school',
      entityId: config.uai,
      action: 'deploy',
      summary: {code: DEPLOYED[opts.outcome], params: {hash: config.hash.slice(0, 12)}},
      result: opts.outcome === 'confirmed' ? 'ok' : 'failed',
      data: {
        job: opts.job,
        hash: config.hash,
        profile: config.profile,
        files: config.files.length,
        ...(opts.errorCode ? {error: opts.errorCode} : {}),
      },
    })
  })
}

/**
 * The list categories on a school's box: those recorded by its last confirmed deploy. Deploys
 * recorded before alpi kept them: the categories of the deployed list version that the policy
 * required then (taken as the current policy), which is what that deploy rendered.
 */
export async function deployedCategories(ctx: ServiceContext, school: SchoolRecord): Promise<string[]> {
  if (!school.deployedHash) return []
  const last = await ctx.store.db
    .selectFrom('fw_deployments')
    .select('detail')
    .where('uai', '=', school.uai)
    .where('outcome', '=', 'confirmed')
    .where('config_hash', '=', school.deployedHash)
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst()
  const detail = last?.detail ? (JSON.parse(last.detail) as {categories?: unknown}) : {}
  if (Array.isArray(detail.categories)) return detail.categories.filter((c): c is string => typeof c === 'string').sort()
  if (!school.deployedListVersion || school.deployedListVersion === 'none') return []
  const info = await readListVersion(ctx, school.deployedListVersion)
  return requiredCategories(ctx, school).filter((c) => info?.categories[c])
}
