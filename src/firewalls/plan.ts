import type {ServiceContext} from '../context/service-context.js'
import {AlpiError} from '../core/errors.js'
import {deployedCategories} from './deployed.js'
import {listFilterFor, requiredCategories} from './lists.js'
import {t} from './messages/index.js'
import {cidrsOverlap, parseCidr} from './net.js'
import {renderSchoolConfig, type FilterInput, type RenderedConfig} from './profile.js'
import {loadSchools, type SchoolRecord} from './schools.js'

/**
 * `firewalls plan`: render each school's files from its profile's common base and the
 * school's overrides, check the addressing across the register, and diff against what was
 * last confirmed on the box. Nothing is sent anywhere.
 */
export type FileChange = 'added' | 'changed' | 'same' | 'removed'

export interface PlannedFile {
  name: string
  path: string
  change: FileChange
  /** Unified diff against the last deployed content (truncated to DIFF_MAX_LINES). */
  diff?: string
  diffTruncated?: boolean
}

export interface SchoolPlan {
  uai: string
  profile: string
  status: 'new' | 'changed' | 'unchanged' | 'invalid'
  hash: string | null
  deployedHash: string | null
  problems: string[]
  /** Facts that do not block the plan (e.g. no box address yet: deploy will need one). */
  notes: string[]
  /** The filtering list version planned, and the one last confirmed on the box. */
  listVersion: string | null
  deployedListVersion: string | null
  lanCidr: string
  files: PlannedFile[]
  /**
   * The school's list categories: what its policy requires, what the planned filter blocks
   * (the plan line's CATEGORIES count), what it would stop blocking. Absent when the config
   * cannot be rendered (the school is invalid, its problem says why).
   */
  categories?: PlannedCategories
}

export interface PlannedCategories {
  listVersion: string | null
  required: string[]
  blocked: string[]
  /** Required by the policy but not in the list version (the filter cannot block them). */
  missing: string[]
  /** On the box now, not in the planned filter, although the policy still requires them: never deployed. */
  droppedByList: string[]
  /** On the box now, no longer in the school's policy: deployed only when named with --allow-drop. */
  droppedByPolicy: string[]
}

export interface PlanResult {
  schools: SchoolPlan[]
  counts: {total: number; changed: number; unchanged: number; invalid: number}
}

export const DIFF_MAX_LINES = 300

/** Addressing problems across the register: LANs overlapping inside one VPN. */
export function addressingProblems(all: SchoolRecord[]): Map<string, string[]> {
  const problems = new Map<string, string[]>()
  const add = (uai: string, p: string) => problems.set(uai, [...(problems.get(uai) ?? []), p])
  const byVpn = new Map<string, SchoolRecord[]>()
  for (const s of all) if (s.vpn) byVpn.set(s.vpn, [...(byVpn.get(s.vpn) ?? []), s])
  for (const [vpn, members] of byVpn) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const a = members[i]!
        const b = members[j]!
        if (cidrsOverlap(parseCidr(a.lanCidr)!, parseCidr(b.lanCidr)!)) {
          add(a.uai, t('lanOverlap', {lan: a.lanCidr, other: b.uai, otherLan: b.lanCidr, vpn}))
          add(b.uai, t('lanOverlap', {lan: b.lanCidr, other: a.uai, otherLan: a.lanCidr, vpn}))
        }
      }
    }
  }
  return problems
}

/** What `diff -u --label 'deployed PATH' --label 'planned PATH'` prints, computed in memory by jsdiff. */
export async function unifiedDiff(path: string, before: string, after: string): Promise<{diff: string; truncated: boolean}> {
  if (before === after) return {diff: '', truncated: false}
  const {createTwoFilesPatch, FILE_HEADERS_ONLY} = await import('diff')
  const patch = createTwoFilesPatch(`deployed ${path}`, `planned ${path}`, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  })
  // GNU diff writes a one-line range as `-5`, jsdiff as `-5,1`: keep the output diff(1)'s.
  const diff = patch.replace(/^@@ .* @@$/gm, (hunk) => hunk.replaceAll(/,1(?= )/g, ''))
  const lines = diff.split('\n')
  if (lines.length <= DIFF_MAX_LINES) return {diff, truncated: false}
  return {
    diff: lines.slice(0, DIFF_MAX_LINES).join('\n') + `\n${t('moreDiffLines', {count: lines.length - DIFF_MAX_LINES})}\n`,
    truncated: true,
  }
}

export interface PlannedSchool {
  school: SchoolRecord
  config?: RenderedConfig
  plan: SchoolPlan
}

/** Render and check the schools (all when none named); `withDiff` adds the file diffs. */
export async function planSchools(
  ctx: ServiceContext,
  opts: {uais?: string[]; withDiff?: boolean; allowDrop?: string[]} = {},
): Promise<PlannedSchool[]> {
  const all = await loadSchools(ctx)
  const selected = opts.uais && opts.uais.length > 0 ? await loadSchools(ctx, opts.uais) : all
  const addressing = addressingProblems(all)
  const out: PlannedSchool[] = []
  for (const school of selected) {
    const problems = [...(addressing.get(school.uai) ?? [])]
    const notes: string[] = []
    if (!school.mgmtHost) notes.push(t('noMgmtNote'))
    let config: RenderedConfig | undefined
    let categories: PlannedCategories | undefined
    try {
      const filter = await listFilterFor(ctx, school)
      config = renderSchoolConfig(ctx.templatesDir, school, filter)
      categories = await planCategories(ctx, school, filter, opts.allowDrop ?? [])
      problems.push(...categoryProblems(school.uai, categories))
    } catch (error) {
      if (!(error instanceof AlpiError) || error.code === 'BUG') throw error
      problems.push(error.message)
    }
    const deployed = await ctx.store.db.selectFrom('fw_deployed_files').selectAll().where('uai', '=', school.uai).execute()
    const files: PlannedFile[] = []
    if (config) {
      for (const f of config.files) {
        const prev = deployed.find((d) => d.path === f.path)
        const change: FileChange = !prev ? 'added' : prev.sha256 === f.sha256 && prev.mode === f.mode ? 'same' : 'changed'
        const planned: PlannedFile = {name: f.name, path: f.path, change}
        if (opts.withDiff && change !== 'same') {
          const d = await unifiedDiff(f.path, prev?.content ?? '', f.content)
          planned.diff = d.diff
          if (d.truncated) planned.diffTruncated = true
        }
        files.push(planned)
      }
      for (const d of deployed)
        if (!config.files.some((f) => f.path === d.path)) files.push({name: d.path, path: d.path, change: 'removed'})
    }
    const status: SchoolPlan['status'] =
      problems.length > 0 || !config
        ? 'invalid'
        : !school.deployedHash
          ? 'new'
          : school.deployedHash === config.hash
            ? 'unchanged'
            : 'changed'
    out.push({
      school,
      config,
      plan: {
        uai: school.uai,
        profile: school.profile,
        status,
        hash: config?.hash ?? null,
        deployedHash: school.deployedHash,
        problems,
        notes,
        listVersion: config?.listVersion ?? null,
        deployedListVersion: school.deployedListVersion,
        lanCidr: school.lanCidr,
        files,
        ...(categories ? {categories} : {}),
      },
    })
  }
  return out
}

/**
 * Compare the categories a deploy would leave on the box with those on it now. A category
 * the policy still requires is never dropped (the list version lacks it: load it); one the
 * policy no longer names is dropped only when the technician names it (--allow-drop).
 */
export async function planCategories(
  ctx: ServiceContext,
  school: SchoolRecord,
  filter: FilterInput,
  allowDrop: string[],
): Promise<PlannedCategories> {
  const required = requiredCategories(ctx, school)
  const blocked = filter.categories ?? []
  const now = await deployedCategories(ctx, school)
  const gone = now.filter((c) => !blocked.includes(c))
  // Whitelist mode blocks every name but the allowed ones: leaving categories for it drops nothing.
  const stricter = school.overrides.whitelist === true
  return {
    listVersion: filter.listVersion ?? null,
    required,
    blocked,
    missing: filter.missingCategories ?? [],
    droppedByList: stricter ? [] : gone.filter((c) => required.includes(c)),
    droppedByPolicy: stricter ? [] : gone.filter((c) => !required.includes(c) && !allowDrop.includes(c)),
  }
}

/** In the language of the run, like the plan's other problems (a plan is shown, never stored). */
export function categoryProblems(uai: string, c: PlannedCategories): string[] {
  const out: string[] = []
  if (c.droppedByList.length > 0)
    out.push(t('categoryDroppedByList', {uai, version: c.listVersion ?? t('none'), categories: c.droppedByList.join(', ')}))
  if (c.droppedByPolicy.length > 0) out.push(t('categoryDroppedByPolicy', {uai, categories: c.droppedByPolicy.join(', ')}))
  return out
}

/** `firewalls plan`: one summary per school; the file diffs only when asked (`withDiff`, flag --diff). */
export async function planCommand(
  ctx: ServiceContext,
  opts: {uais?: string[]; withDiff?: boolean; allowDrop?: string[]},
): Promise<PlanResult> {
  const planned = await planSchools(ctx, {uais: opts.uais, withDiff: opts.withDiff, allowDrop: opts.allowDrop})
  const schools = planned.map((p) => p.plan)
  return {
    schools,
    counts: {
      total: schools.length,
      changed: schools.filter((s) => s.status === 'new' || s.status === 'changed').length,
      unchanged: schools.filter((s) => s.status === 'unchanged').length,
      invalid: schools.filter((s) => s.status === 'invalid').length,
    },
  }
}
