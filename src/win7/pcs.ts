import type {Kysely} from 'kysely'
import type {Database} from '../store/schema.js'
import type {PipelineState} from './states.js'

/**
 * The old PCs of the pipeline with their member and site (schedule and status): one member's
 * or every member's, optionally in one state; ordered by member and serial.
 */
export function oldPcsWithMemberAndSite(db: Kysely<Database>, opts: {member?: string; state?: PipelineState} = {}) {
  let q = db
    .selectFrom('win7_pcs as p')
    .innerJoin('win7_members as m', 'm.code', 'p.member_code')
    .leftJoin('win7_sites as s', 's.id', 'p.site_id')
    .select([
      'p.serial',
      'p.replaced_by',
      'p.state',
      'p.state_since',
      'p.member_code',
      'p.site_id',
      'm.name as memberName',
      'm.commune as memberCommune',
      's.name as siteName',
      's.commune as siteCommune',
    ])
    .where('p.role', '=', 'old')
    .orderBy('p.member_code')
    .orderBy('p.serial')
  if (opts.member) q = q.where('p.member_code', '=', opts.member)
  if (opts.state) q = q.where('p.state', '=', opts.state)
  return q.execute()
}
