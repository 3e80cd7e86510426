import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {runAlpi} from '../helpers/cli.js'
import {DIALECTS, tempDir} from '../helpers/context.js'
import {execSql, laptopsCsv, storeLocation} from './store-helpers.js'

/**
 * Item 8: truncating the audit journal is caught. A journal emptied, dropped or restarted
 * while the store holds data fails `audit verify` (typed AUDIT_TAMPERED, never BUG), and a head
 * recorded outside the store (--expect-head, or a signed file from `audit anchor`) must still
 * be in the chain. Real stores, the real binary; the tampering is done with plain SQL, as an
 * attacker with write access to the store would.
 */
// Many runs of the binary per test: generous on a loaded two-core machine.
vi.setConfig({testTimeout: 240_000})
describe.each(DIALECTS)('audit truncation and anchors on %s (binary)', (dialect) => {
  let url: string
  let dir: string
  let cleanup: () => Promise<void>
  const xdg = tempDir('alpi-rel-anchor-xdg-')
  // the anchor key lives next to the config file: a config folder of this test's own
  const env = {ALPI_CONFIG: join(xdg.path, 'config', 'alpi', 'config.json')}
  const alpi = (args: string[]) => runAlpi([...args, '--db', url], {env})
  let head1: string
  let anchorFile: string

  beforeAll(async () => {
    ;({url, dir, cleanup} = await storeLocation(dialect))
    const imp = await alpi(['laptops', 'import', laptopsCsv(join(dir, 'a.csv'), 5, 'A')])
    expect(imp.code, imp.stderr).toBe(0)
    anchorFile = join(dir, 'anchor.json')
  })
  afterAll(async () => {
    await cleanup()
    xdg.cleanup()
  })

  it('Given an intact journal, then verify prints its head, anchor writes it signed, and both --expect-head and --anchor pass, also after more entries', async () => {
    const v = await alpi(['audit', 'verify', '--json'])
    expect(v.code, v.stdout).toBe(0)
    head1 = v.json().result.headHash
    expect(head1).toMatch(/^[0-9a-f]{64}$/)
    const human = await alpi(['audit', 'verify'])
    expect(human.stdout).toContain(`head: ${head1}`)

    const a = await alpi(['audit', 'anchor', '--out', anchorFile, '--json'])
    expect(a.code, a.stdout + a.stderr).toBe(0)
    const file = JSON.parse(readFileSync(anchorFile, 'utf8'))
    expect(file).toMatchObject({
      format: 'alpi-audit-anchor/1',
      anchor: {seq: 1, head: head1, entries: 1, dialect},
      signature: {algorithm: 'ed25519'},
    })
    expect(file.anchor.store).not.toContain('alpi_test@') // no password in it (postgres)
    expect(statSync(join(xdg.path, 'config', 'alpi', 'audit-anchor-key.pem')).mode & 0o777).toBe(0o600)

    const more = await alpi(['laptops', 'import', laptopsCsv(join(dir, 'b.csv'), 5, 'B')])
    expect(more.code).toBe(0)
    for (const flags of [
      ['--expect-head', head1],
      ['--anchor', anchorFile],
      ['--expect-head', head1.toUpperCase(), '--anchor', anchorFile],
    ]) {
      const r = await alpi(['audit', 'verify', ...flags, '--json'])
      expect(r.code, r.stdout).toBe(0)
      expect(r.json().result).toMatchObject({ok: true, entries: 2})
      expect(r.json().result.anchors.every((x: {foundAt: number}) => x.foundAt === 1)).toBe(true)
    }
    const h = await alpi(['audit', 'verify', '--anchor', anchorFile])
    expect(h.stdout).toContain('Recorded head found at entry 1: nothing was cut or rewritten before it.')
  })

  it('Given an anchor file edited after it was written, or a malformed head, then verify refuses it (typed)', async () => {
    const forged = join(dir, 'forged.json')
    const file = JSON.parse(readFileSync(anchorFile, 'utf8'))
    file.anchor.seq = 2
    writeFileSync(forged, JSON.stringify(file))
    const r = await alpi(['audit', 'verify', '--anchor', forged, '--json'])
    expect(r.code).toBe(1)
    expect(r.json()).toMatchObject({code: 'AUDIT_ANCHOR_INVALID'})
    const bad = await alpi(['audit', 'verify', '--expect-head', 'abc', '--json'])
    expect(bad.code).toBe(2)
    expect(bad.json()).toMatchObject({code: 'USAGE'})
    const missing = await alpi(['audit', 'verify', '--anchor', join(dir, 'none.json'), '--json'])
    expect(missing.code).toBe(2)
  })

  it('Given every journal row and the head deleted, then verify fails (journal_empty) instead of "intact: 0 entries", and anchor refuses to anchor it', async () => {
    await execSql(dialect, url, 'delete from audit_log; delete from audit_head;')
    const r = await alpi(['audit', 'verify', '--json'])
    expect(r.code, r.stdout).toBe(1)
    expect(r.json()).toMatchObject({name: 'AlpiError', code: 'AUDIT_TAMPERED'})
    expect(r.json().data.problems).toEqual([expect.objectContaining({problem: 'journal_empty'})])
    expect(r.json().message).toContain('the journal is empty but the store holds data')
    const fr = await runAlpi(['audit', 'verify', '--db', url, '--lang', 'fr'], {env})
    expect(fr.stderr).toContain("Le journal d'audit n'est pas intact")
    expect(fr.stderr).toContain('le journal est vide mais la base contient des données')
    const anchor = await alpi(['audit', 'anchor', '--out', join(dir, 'after.json'), '--json'])
    expect(anchor.code).toBe(1)
    expect(anchor.json()).toMatchObject({code: 'AUDIT_TAMPERED'})
    expect(existsSync(join(dir, 'after.json'))).toBe(false)
  })

  it('Given the journal deleted and restarted by a later command (a valid new chain), then verify fails (journal_younger) and the recorded head is missing', async () => {
    // the data predates the new chain by days, as on a store in use
    await execSql(dialect, url, "update laptops set created_at = '2026-01-05T08:00:00.000Z'")
    const imp = await alpi(['laptops', 'import', laptopsCsv(join(dir, 'c.csv'), 2, 'C')])
    expect(imp.code).toBe(0)
    const plain = await alpi(['audit', 'verify', '--json'])
    expect(plain.code).toBe(1)
    expect(plain.json().data.problems).toEqual([expect.objectContaining({problem: 'journal_younger'})])
    for (const flags of [
      ['--expect-head', head1],
      ['--anchor', anchorFile],
    ]) {
      const r = await alpi(['audit', 'verify', ...flags, '--json'])
      expect(r.code).toBe(1)
      expect(r.json().data.problems).toContainEqual(expect.objectContaining({problem: 'anchor_missing'}))
      expect(r.json().data.problems.find((p: {problem: string}) => p.problem === 'anchor_missing').detail).toContain(
        `the recorded head ${head1}`,
      )
    }
  })

  it('Given a journal table dropped, then verify says so with a typed error (not BUG)', async () => {
    for (const table of ['audit_head', 'audit_log']) {
      await execSql(dialect, url, `drop table ${table}`)
      const r = await alpi(['audit', 'verify', '--json'])
      expect(r.code, r.stdout).toBe(1)
      expect(r.json()).toMatchObject({code: 'AUDIT_TAMPERED', data: {problems: [expect.objectContaining({problem: 'journal_missing'})]}})
      expect(r.json().message).toContain(table)
      const human = await alpi(['audit', 'verify'])
      expect(human.stderr).toContain('Error [AUDIT_TAMPERED]')
      expect(human.stderr).not.toContain('BUG')
    }
  })
})
