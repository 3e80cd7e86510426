import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, describe, expect, it} from 'vitest'
import {generateSample, prng} from '../../../src/cityfamily/sample.js'
import {UsageError} from '../../../src/core/errors.js'
import {TEMPLATES_DIR, tempDir} from '../../helpers/context.js'

const tmp = tempDir('alpi-cf-sample-')
afterAll(() => tmp.cleanup())

describe('cityfamily sample', () => {
  it('writes legacy bytes: Windows-1252, ";", CRLF only, dd/mm/yyyy, decimal commas, one file per entity, 0600', async () => {
    const out = join(tmp.path, 's')
    const truth = await generateSample({families: 40, seed: 3, out, templatesDir: TEMPLATES_DIR})
    const files = readdirSync(out).filter((f) => f.endsWith('.csv'))
    expect(files).toHaveLength(14)
    for (const f of files) {
      const buf = readFileSync(join(out, f))
      const text = buf.toString('latin1')
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
      expect(text.split('\r\n')[0]).toContain(';')
    }
    const inv = iconv
      .decode(readFileSync(join(out, 'FACTURES.csv')), 'win1252')
      .trim()
      .split('\r\n')
    expect(inv[0]).toBe('N° facture;N° famille;Date facture;Libellé;Montant TTC')
    expect(inv[1]).toMatch(/;\d{2}\/\d{2}\/\d{4};.*€;\d+,\d{2}$/)
    expect(truth.rows.invoice).toBe(inv.length - 1)
    expect(truth.totals.unpaid).toBeGreaterThan(0)
    expect(truth.sharedCustodyLinks).toBeGreaterThan(0)
    const qf = iconv.decode(readFileSync(join(out, 'QUOTIENTS.csv')), 'win1252')
    expect(qf).toMatch(/;01\/01\/2024;31\/12\/2024;/)
  })

  it('the PRNG is deterministic for a seed and differs between seeds', () => {
    const a = prng(1),
      b = prng(1),
      c = prng(2)
    const xs = [a.next(), a.next(), a.next()]
    expect([b.next(), b.next(), b.next()]).toEqual(xs)
    expect(c.next()).not.toBe(xs[0])
  })

  it('refuses a non-positive number of families', async () => {
    await expect(generateSample({families: 0, seed: 1, out: join(tmp.path, 'z'), templatesDir: TEMPLATES_DIR})).rejects.toThrow(UsageError)
  })
})
