import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {REPO_ROOT} from '../../helpers/context.js'

/**
 * Issue 11 item 3: a command is its flags, one service call and the view, and the view is a
 * named function of a format.ts (the campaign's, or src/cli/format.ts for the frame's topics).
 * A format.ts is loaded by its commands at start-up, so it imports no heavy module itself
 * (what it loads through others is test/e2e/spine/startup-loads.test.ts's to check).
 */

const commandFiles = readdirSync(join(REPO_ROOT, 'commands'), {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith('.ts'))

const FORMATS = readdirSync(join(REPO_ROOT, 'src'), {withFileTypes: true})
  .filter((d) => d.isDirectory() && readdirSync(join(REPO_ROOT, 'src', d.name)).includes('format.ts'))
  .map((d) => `src/${d.name}/format.ts`)

/** What a view module must not load: the CSV reader, zod schemas, the PDF and SSH libraries, a service's runtime. */
const HEAVY_IMPORT = /^import \{[^}]*\} from '(zod|pdfkit|ssh2|csv-parse[^']*|\.\.\/csv\/(index|read|import)\.js)'/m

describe('thin commands: the view lives in a format.ts', () => {
  it('Given the commands, When their sources are read, Then none builds a table itself', () => {
    expect(commandFiles.length).toBeGreaterThan(50)
    const building = commandFiles.filter((f) => {
      const source = readFileSync(join(REPO_ROOT, 'commands', f), 'utf8')
      return source.includes('formatTable') || source.includes('cli/table.js')
    })
    expect(building).toEqual([])
  })

  it('Given every format.ts, When its imports are read, Then none loads a heavy module', () => {
    expect(FORMATS).toEqual(expect.arrayContaining(['src/cli/format.ts', 'src/laptops/format.ts', 'src/win7/format.ts']))
    const heavy = FORMATS.filter((f) => HEAVY_IMPORT.test(readFileSync(join(REPO_ROOT, f), 'utf8')))
    expect(heavy).toEqual([])
  })
})
