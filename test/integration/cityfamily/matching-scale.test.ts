import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {migrateExport, type MigrateReport} from '../../../src/cityfamily/migrate.js'
import {generateSample} from '../../../src/cityfamily/sample.js'
import {type InputRejected} from '../../../src/core/errors.js'
import {sqliteStore, TEMPLATES_DIR, tempDir, testContext} from '../../helpers/context.js'

const tmp = tempDir('alpi-cf-scale-')
afterAll(() => tmp.cleanup())

describe('duplicate matching on a larger sample', () => {
  it('Given 1500 households (thousands of persons sharing birth dates), merges are exactly the planted duplicates: none missed, none false', async () => {
    const src = join(tmp.path, 'src')
    const truth = await generateSample({families: 1500, seed: 99, out: src, templatesDir: TEMPLATES_DIR})
    expect(truth.duplicates.length).toBeGreaterThan(40)
    expect(new Set(truth.duplicates.map((d) => d.variant))).toEqual(new Set(['accents', 'case', 'typo']))
    const {store, cleanup} = await sqliteStore()
    try {
      const report = await migrateExport(testContext(store), {dir: src, out: join(tmp.path, 'out'), dryRun: true}).catch(
        (e: InputRejected) => e.data as MigrateReport,
      )
      const got = report.merges.map((m) => `${m.kept}>${m.merged}`).sort()
      expect(got).toEqual(truth.duplicates.map((d) => `${d.original}>${d.duplicate}`).sort())
    } finally {
      await cleanup()
    }
  })
})
