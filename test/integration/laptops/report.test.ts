import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {allocate, handover} from '../../../src/laptops/giving.js'
import {htmlReport} from '../../../src/laptops/report.js'
import {sqliteStore, tempDir, testContext} from '../../helpers/context.js'
import {seedBeneficiaries, seedLaptops, seedSites} from './seed.js'

describe('laptops report --html', () => {
  let s: Awaited<ReturnType<typeof sqliteStore>>
  const dir = tempDir('alpi-report-')
  beforeAll(async () => {
    process.env.ALPI_NOW = '2026-11-28T10:00:00Z'
    s = await sqliteStore()
  })
  afterAll(async () => {
    delete process.env.ALPI_NOW
    await s.cleanup()
    dir.cleanup()
  })

  it('writes a standalone French page with inline SVG charts, escaping names', async () => {
    const ctx = testContext(s.store)
    await seedSites(ctx, [
      {code: 'SMALAH', quota: 20},
      {code: 'CCLA', quota: 10},
    ])
    await s.store.db.updateTable('laptop_sites').set({name: 'La <script>alert(1)</script> Smalah'}).where('code', '=', 'SMALAH').execute()
    await seedBeneficiaries(ctx, [{ref: 'B1', site: 'SMALAH'}])
    await seedLaptops(ctx, 6, 'ready')
    await seedLaptops(ctx, 3, 'on_hold', {prefix: 'H'})
    const r0 = await allocate(ctx, {site: 'SMALAH', count: 4})
    await handover(ctx, {serial: r0.allocated[0]!, beneficiary: 'B1', outDir: dir.path})
    const r = await htmlReport(ctx, {out: join(dir.path, 'out', 'rapport.html')})
    const html = readFileSync(r.file, 'utf8')
    expect(html).toContain('<html lang="fr">')
    expect(html).toContain('Quotas des lieux de médiation numérique')
    expect((html.match(/<svg /g) ?? []).length).toBe(4)
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('La &lt;script&gt;alert(1)&lt;/script&gt; Smalah')
    expect(html).toMatch(/<b>9<\/b>ordinateurs suivis/)
    expect(html).toMatch(/<b>1<\/b>remis/)
    expect(html).toContain('4 / 20')
    expect(html).not.toContain('Personne')
    // well-formed enough for an HTML parser, no external resource
    execFileSync('xmllint', ['--html', '--noout', r.file])
    expect(html).not.toMatch(/(src|href)=/)
  })
})
