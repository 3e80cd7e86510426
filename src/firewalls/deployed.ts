import {audit, type ServiceContext} from '../core/context.js'
import {newId, nowIso} from '../core/ids.js'
import type {RenderedConfig} from './profile.js'

export type DeployOutcome = 'confirmed' | 'rolled_back' | 'failed'

/**
 * Record one deploy attempt (and, when confirmed, the files now on the box: what the next
 * plan diffs against) with its audit entry, in one transaction.
 */
export async function recordDeployment(ctx: ServiceContext, opts: {config: RenderedConfig; job: string; outcome: DeployOutcome; errorCode?: string; detail?: Record<string, unknown>; listVersion?: string}): Promise<void> {
  const at = nowIso()
  const {config} = opts
  await ctx.store.transaction(async (trx) => {
    await trx.insertInto('fw_deployments').values({id: newId(), uai: config.uai, job: opts.job, at, config_hash: config.hash, outcome: opts.outcome, error_code: opts.errorCode ?? null, detail: opts.detail ? JSON.stringify(opts.detail) : null, actor: ctx.actor}).execute()
    if (opts.outcome === 'confirmed') {
      await trx.deleteFrom('fw_deployed_files').where('uai', '=', config.uai).execute()
      for (const f of config.files) await trx.insertInto('fw_deployed_files').values({uai: config.uai, path: f.path, sha256: f.sha256, content: f.content, mode: f.mode, deployed_at: at}).execute()
      await trx.updateTable('fw_schools').set({deployed_hash: config.hash, deployed_at: at, deployed_list_version: opts.listVersion ?? null}).where('uai', '=', config.uai).execute()
    }
    await audit(ctx, trx, {entity: 'fw_school', entityId: config.uai, action: 'deploy', summary: `deploy ${config.hash.slice(0, 12)}: ${opts.outcome}`, result: opts.outcome === 'confirmed' ? 'ok' : 'failed', data: {job: opts.job, hash: config.hash, profile: config.profile, files: config.files.length, ...(opts.errorCode ? {error: opts.errorCode} : {})}})
  })
}
