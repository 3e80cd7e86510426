import {appendFileSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'

// images add/list/verify, grade without an answer, probe refusals and report --html as processes.
describe('laptops images, grade, probe and report (binary)', {timeout: 300_000}, () => {
  const dir = tempDir('alpi-e2e-laptops-img-')
  const db = join(dir.path, 'alpi.sqlite')
  const env = {ALPI_NOW: '2026-11-28T09:00:00Z'}
  const alpi = (args: string[]) => runAlpi([...args, '--db', db], {env})
  afterAll(() => dir.cleanup())

  it('adds, lists and verifies an image; a changed file fails verify with exit 1', async () => {
    writeFileSync(join(dir.path, 'g.img'), Buffer.alloc(300_000, 3))
    const add = await alpi(['laptops', 'images', 'add', 'g1', join(dir.path, 'g.img'), '--json'])
    expect(add.code, add.stderr).toBe(0)
    expect(add.json().result).toMatchObject({name: 'g1', size: 300_000, compression: 'none'})
    const bad = await alpi(['laptops', 'images', 'add', 'bad name;rm', join(dir.path, 'g.img')])
    expect(bad.code).toBe(2)
    const list = await alpi(['laptops', 'images', 'list'])
    expect(list.stdout).toMatch(/g1\s+300000\s+none/)
    expect((await alpi(['laptops', 'images', 'verify', 'g1'])).code).toBe(0)
    appendFileSync(join(dir.path, 'g.img'), 'x')
    const v = await alpi(['laptops', 'images', 'verify', 'g1', '--json'])
    expect(v.code).toBe(1)
    expect(v.json()).toMatchObject({code: 'IMAGE_CORRUPT'})
  })

  it('grade without --cosmetic and without a terminal names the flag; unknown serial is exit 1', async () => {
    writeFileSync(join(dir.path, 'l.csv'), 'serial\nE2E-1\n')
    expect((await alpi(['laptops', 'import', join(dir.path, 'l.csv')])).code).toBe(0)
    const g = await alpi(['laptops', 'grade', 'E2E-1'])
    expect(g.code).toBe(2)
    expect(g.stderr).toMatch(/--cosmetic/)
    const g2 = await alpi(['laptops', 'grade', 'E2E-1', '--cosmetic', 'B', '--json'])
    expect(g2.code).toBe(1)
    expect(g2.json()).toMatchObject({code: 'NO_SNAPSHOT'})
    expect((await alpi(['laptops', 'grade', 'NOPE', '--cosmetic', 'B'])).stderr).toMatch(/NOT_FOUND/)
    const w = await alpi(['laptops', 'wipe', '--device', '/dev/null', '--serial', 'E2E-1', '--confirm', 'E2E-1'])
    expect(w.code).toBe(1)
    expect(w.stderr).toMatch(/must be diagnosed/)
    const p = await alpi(['laptops', 'probe', '--ssh', 'not a target'])
    expect(p.code).toBe(2)
  })

  it('writes the HTML report', async () => {
    const r = await alpi(['laptops', 'report', '--html', '--out', join(dir.path, 'r.html'), '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json().result.total).toBe(1)
    expect(readFileSync(join(dir.path, 'r.html'), 'utf8')).toContain('ordinateurs suivis')
  })
})
