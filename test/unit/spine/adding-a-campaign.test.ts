import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {ESLint} from 'eslint'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'

/**
 * docs/adding-a-campaign.md stays true: every registration point its table names holds every
 * existing campaign, and the import boundaries it promises reject a new campaign ("parcels")
 * that crosses them, in a copy of the lint config on a tiny example tree.
 */

const RECIPE = join(REPO_ROOT, 'docs/adding-a-campaign.md')
/** The campaigns as the lint config finds them (every folder of src/ that is not a shared layer). */
const {CAMPAIGNS} = (await import(join(REPO_ROOT, 'eslint.config.js'))) as {CAMPAIGNS: string[]}

interface RegistrationPoint {
  what: string
  file: string
  needle: string
}

/** A table cell's code span: `x`, or `` x `` when x itself holds a backtick. */
function code(cell: string): string {
  const m = /^(`+) ?(.*?) ?\1$/.exec(cell.trim())
  return m ? m[2]! : cell.trim()
}

/** The rows of the "Registration points" table. */
function registrationPoints(): RegistrationPoint[] {
  const text = readFileSync(RECIPE, 'utf8')
  const section = text.split(/^## /m).find((s) => s.startsWith('3. Registration points'))
  if (!section) throw new Error('docs/adding-a-campaign.md has no "3. Registration points" section')
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| registration') && !line.startsWith('| ---'))
    .map((line) => {
      const [what, file, needle] = line.trim().slice(1, -1).split('|')
      return {what: what!.trim(), file: code(file!), needle: code(needle ?? '')}
    })
}

const fill = (text: string, c: string) => text.replaceAll('<c>', c).replaceAll('<C>', c[0]!.toUpperCase() + c.slice(1))

describe('docs/adding-a-campaign.md: the registration points', () => {
  const points = registrationPoints()

  it('Given the recipe, When its table is read, Then it names the store, migrations, config, topic, read-only list, README, catalog and tests', () => {
    expect(CAMPAIGNS).toEqual(expect.arrayContaining(['laptops', 'firewalls', 'cityfamily', 'win7']))
    const files = points.map((p) => p.file)
    for (const f of [
      'src/store/schema.ts',
      'src/store/migrations/index.ts',
      'src/core/config.ts',
      'package.json',
      'test/e2e/spine/read-only-store.test.ts',
      'README.md',
      'src/<c>/messages/index.ts',
      'test/integration/<c>/',
      'test/e2e/<c>/',
    ]) {
      expect(files).toContain(f)
    }
  })

  it.each(CAMPAIGNS)(
    'Given the campaign %s, When each registration point of the recipe is looked up, Then the campaign is registered there',
    (c) => {
      for (const p of points) {
        const path = join(REPO_ROOT, fill(p.file, c))
        expect(existsSync(path), `${p.what}: ${fill(p.file, c)} is missing`).toBe(true)
        if (p.file.endsWith('/')) {
          expect(statSync(path).isDirectory(), `${p.file} is a folder`).toBe(true)
          continue
        }
        if (p.needle)
          expect(readFileSync(path, 'utf8'), `${p.what}: ${fill(p.file, c)} does not contain ${fill(p.needle, c)}`).toContain(
            fill(p.needle, c),
          )
      }
    },
  )
})

describe('docs/adding-a-campaign.md and src/README.md: the same file, the same role, in every campaign', () => {
  /** The files every campaign has, and the names they must not take instead. */
  const ROLES = ['model.ts', 'tables.ts', 'format.ts', 'messages/en.ts', 'messages/fr.ts', 'messages/index.ts']
  const OTHER_NAMES = ['models.ts', 'view.ts', 'views.ts', 'show-view.ts', 'lifecycle.ts', 'pipeline.ts', 'table.ts', 'messages.ts']

  it.each(CAMPAIGNS)('Given the campaign %s, When its folder is listed, Then each role has its one file name', (c) => {
    const dir = join(REPO_ROOT, 'src', c)
    for (const role of ROLES) expect(existsSync(join(dir, role)), `src/${c}/${role}`).toBe(true)
    const files = readdirSync(dir, {recursive: true, encoding: 'utf8'})
    expect(files.filter((f) => OTHER_NAMES.includes(f.split('/').pop()!))).toEqual([])
  })

  it.each(CAMPAIGNS)('Given the campaign %s, When a state machine is declared, Then it is in states.ts', (c) => {
    const dir = join(REPO_ROOT, 'src', c)
    const declaring = readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter(
      (f) => f.endsWith('.ts') && readFileSync(join(dir, f), 'utf8').includes('defineStateMachine('),
    )
    expect(declaring.filter((f) => f !== 'states.ts')).toEqual([])
    if (existsSync(join(dir, 'states.ts'))) expect(declaring).toEqual(['states.ts'])
  })
})

describe('docs/adding-a-campaign.md: the import boundaries, on a new campaign "parcels"', () => {
  let root: string
  let cleanup: () => void
  let eslint: ESLint

  beforeAll(() => {
    ;({path: root, cleanup} = tempDir('alpi-recipe-'))
    // A copy of the real lint config over a tiny tree: two campaigns, the new one with two verbs.
    copyFileSync(join(REPO_ROOT, 'eslint.config.js'), join(root, 'eslint.config.js'))
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'))
    for (const file of [
      'src/core/errors.ts',
      'src/store/schema.ts',
      'src/cli/table.ts',
      'src/laptops/model.ts',
      'src/parcels/model.ts',
      'src/parcels/tables.ts',
      'src/parcels/receive.ts',
      'src/parcels/ship.ts',
      'commands/parcels/receive.ts',
      'commands/parcels/ship.ts',
    ]) {
      mkdirSync(dirname(join(root, file)), {recursive: true})
      writeFileSync(join(root, file), 'export {}\n')
    }
    eslint = new ESLint({cwd: root})
  })
  afterAll(() => cleanup())

  /** The boundary messages ESLint gives for this code at this path. */
  async function boundaryErrors(file: string, source: string): Promise<string[]> {
    const [result] = await eslint.lintText(source, {filePath: join(root, file)})
    // A file ESLint could not parse has no rule messages at all: that must not read as "allowed".
    expect(result!.messages.filter((m) => m.fatal)).toEqual([])
    return result!.messages
      .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
      .map((m) => m.message)
  }

  /** A module that imports `name` from `from` and hands it on (so the import is used). */
  const reexport = (name: string, from: string, type = false) =>
    `import ${type ? 'type ' : ''}{${name}} from '${from}'\nexport ${type ? 'type ' : ''}{${name}}\n`

  it('Given the copied config, When it lists the campaigns, Then the new folder is one without being named anywhere', async () => {
    const config = (await import(join(root, 'eslint.config.js'))) as {CAMPAIGNS: string[]}
    expect(config.CAMPAIGNS).toEqual(['laptops', 'parcels'])
  })

  it.each([
    ['src/parcels/model.ts', reexport('serialField', '../laptops/model.js'), 'A campaign never imports another campaign'],
    ['src/laptops/model.ts', "export {ParcelSchema} from '../parcels/model.js'\n", 'A campaign never imports another campaign'],
    ['src/parcels/model.ts', "export const load = () => import('../laptops/model.js')\n", 'A campaign never imports another campaign'],
    ['src/core/errors.ts', reexport('ParcelSchema', '../parcels/model.js'), 'The shared layers never import a campaign'],
    ['src/cli/table.ts', reexport('ParcelSchema', '../parcels/model.js'), 'never imports a campaign'],
    ['src/store/schema.ts', reexport('ParcelsTables', '../parcels/tables.js'), 'table types only (import type)'],
    ['src/store/schema.ts', reexport('ReceiveOptions', '../parcels/receive.js', true), "only composes the campaigns' table types"],
    ['commands/parcels/receive.ts', reexport('openStore', '../../src/store/db.js'), 'A command never imports the store'],
    ['src/parcels/ship.ts', reexport('receive', './receive.js'), 'never imports a sibling verb'],
    ['src/parcels/model.ts', reexport('writeFileSync', 'node:fs'), 'writeFileAtomic'],
  ])(
    'Given %s importing across a boundary, When linted, Then it is rejected with the rule that says why',
    async (file, source, message) => {
      const errors = await boundaryErrors(file, source)
      expect(errors.join('\n')).toContain(message)
    },
  )

  it.each([
    ['src/parcels/model.ts', reexport('AlpiError', '../core/errors.js')],
    ['src/parcels/ship.ts', reexport('ParcelSchema', './model.js')],
    ['src/store/schema.ts', reexport('ParcelsTables', '../parcels/tables.js', true)],
    [
      'commands/parcels/receive.ts',
      "import {receive} from '../../src/parcels/receive.js'\nimport {formatTable} from '../../src/cli/table.js'\nexport {receive, formatTable}\n",
    ],
  ])('Given %s importing what the recipe allows, When linted, Then no boundary rule fires', async (file, source) => {
    expect(await boundaryErrors(file, source)).toEqual([])
  })
})
