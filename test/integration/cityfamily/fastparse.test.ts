import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {columnSpec, fastSourceParser, loadSourceMapping, sourceMappingPath, sourceSchema} from '../../../src/cityfamily/mapping.js'
import {ENTITY_ORDER} from '../../../src/cityfamily/model.js'
import {generateSample} from '../../../src/cityfamily/sample.js'
import {readCsv} from '../../../src/csv/read.js'
import {TEMPLATES_DIR, tempDir} from '../../helpers/context.js'

// migrate parses Abelium rows with a hand-written twin of the zod row schema (for speed).
// On a sample with every planted defect, both must give the same rows and the same rejects.
describe('cityfamily fast row parser', () => {
  const dir = tempDir('alpi-cf-fastparse-')
  const src = join(dir.path, 'abelium')
  beforeAll(async () => {
    await generateSample({families: 400, seed: 23, out: src, templatesDir: TEMPLATES_DIR})
    // Plant bad cells too (the sample's own defects are mostly across files): every 5th
    // data line of every file gets one cell replaced by a value some field must refuse.
    const bad = ['31/02/2024', 'abc', '12,345', '', 'peut-être', '99999999999', '2024-13-01', 'x@', '+33 9']
    let k = 0
    for (const f of readdirSync(src).filter((n) => n.endsWith('.csv'))) {
      const lines = readFileSync(join(src, f), 'latin1').split('\r\n')
      for (let i = 1; i < lines.length; i += 5) {
        if (!lines[i] || lines[i]!.includes('"')) continue
        const cells = lines[i]!.split(';')
        cells[k % cells.length] = bad[k % bad.length]!
        lines[i] = cells.join(';')
        k++
      }
      writeFileSync(join(src, f), lines.join('\r\n'), 'latin1')
    }
  })
  afterAll(() => dir.cleanup())

  it('gives exactly what zod gives, on every file of a defective export', async () => {
    const mapping = loadSourceMapping(sourceMappingPath(TEMPLATES_DIR))
    const show = (x: unknown) => JSON.stringify(x, (_k, v) => (v === undefined ? '<undefined>' : v))
    let files = 0
    let rejects = 0
    for (const entity of ENTITY_ORDER) {
      const m = mapping.entities[entity]
      if (!m || !existsSync(join(src, m.file))) continue
      const opts = {
        source: join(src, m.file),
        schema: sourceSchema(mapping, entity),
        columns: columnSpec(mapping, entity),
        encoding: mapping.encoding,
        delimiter: mapping.delimiter,
      }
      const viaZod = await readCsv(opts)
      const viaTwin = await readCsv({...opts, fastParse: fastSourceParser(mapping, entity)})
      expect(show(viaTwin.rows.map((r) => [r.row, r.value])), m.file).toBe(show(viaZod.rows.map((r) => [r.row, r.value])))
      expect(show(viaTwin.rejects), m.file).toBe(show(viaZod.rejects))
      files++
      rejects += viaZod.rejects.length
    }
    expect(files).toBeGreaterThan(10)
    expect(rejects).toBeGreaterThan(0) // the defects were exercised
  })
})
