import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {checkUai} from '../../../src/firewalls/uai.js'
import {runAlpi} from '../../helpers/cli.js'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'

interface ManifestCommand {
  id: string
  summary?: string
  description?: string
  examples?: string[]
  flags: Record<string, {description?: string; summary?: string; env?: string}>
  args: Record<string, {description?: string}>
}
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}
const commands = Object.values(manifest.commands).filter((c) => !c.id.startsWith('autocomplete') && c.id !== 'help')
const helpText = (c: ManifestCommand) =>
  [
    c.summary,
    c.description,
    ...(c.examples ?? []),
    ...Object.values(c.flags).flatMap((f) => [f.description, f.summary, f.env]),
    ...Object.values(c.args).map((a) => a.description),
  ]
    .filter(Boolean)
    .join('\n')

/** Run `f` over `items`, `n` at a time (the machine's cores are shared), results in order. */
async function inBatches<T, R>(items: T[], n: number, f: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < items.length; i += n) out.push(...(await Promise.all(items.slice(i, i + n).map((x, j) => f(x, i + j)))))
  return out
}

describe('help (every command, from the manifest the help is printed from)', () => {
  it('names no test-only environment variable', () => {
    for (const c of commands) expect(helpText(c), c.id).not.toMatch(/ALPI_TEST_/)
  })

  it('gives examples with valid UAIs (right check letter)', () => {
    let seen = 0
    for (const c of commands) {
      for (const uai of (c.examples ?? []).join(' ').match(/\b\d{7}[A-Z]\b/g) ?? []) {
        seen++
        expect(checkUai(uai), `${c.id}: ${uai}`).toEqual({ok: true, uai})
      }
    }
    expect(seen).toBeGreaterThan(3)
  })

  it('gives examples with laptop serials alpi accepts', async () => {
    const {serialProblem} = await import('../../../src/laptops/model.js')
    for (const c of commands.filter((x) => x.id.startsWith('laptops:'))) {
      for (const serial of (c.examples ?? []).join(' ').match(/\bPF\w+/g) ?? [])
        expect(serialProblem(serial), `${c.id}: ${serial}`).toBeUndefined()
    }
  })

  it('gives config examples with keys that exist', () => {
    for (const c of commands.filter((x) => x.id.startsWith('config:'))) {
      for (const example of c.examples ?? []) expect(example, c.id).not.toMatch(/laptops\.batteryMinHealth\b/)
    }
  })
})

describe('help through the binary', () => {
  const dir = tempDir('alpi-e2e-help-')
  const env = {ALPI_CONFIG: join(dir.path, 'config.json'), OCLIF_COLUMNS: '80'}
  afterAll(() => dir.cleanup())

  it('speaks French with --lang fr or LANG=fr_FR (the help class is the one package.json names), English otherwise', async () => {
    const fr = await runAlpi(['db', 'status', '--help', '--lang', 'fr'], {env})
    expect(fr.code, fr.stderr).toBe(0)
    expect(fr.stdout).toContain('Montrer où est la base')
    const lang = await runAlpi(['db', 'status', '--help'], {env: {...env, LANG: 'fr_FR.UTF-8'}})
    expect(lang.stdout).toContain('Montrer où est la base')
    const en = await runAlpi(['db', 'status', '--help'], {env: {...env, LANG: 'C.UTF-8'}})
    expect(en.code, en.stderr).toBe(0)
    expect(en.stdout).not.toContain('Montrer où est la base')
  })

  it('`alpi help WORDS --lang fr` as `alpi WORDS --help --lang fr`, also at a terminal width oclif renders itself', async () => {
    for (const columns of ['80', '100']) {
      const fr = await runAlpi(['help', 'db', 'status', '--lang', 'fr'], {env: {...env, OCLIF_COLUMNS: columns}})
      expect(fr.code, fr.stderr).toBe(0)
      expect(fr.stderr).toBe('')
      expect(fr.stdout).toContain('Montrer où est la base')
      const topic = await runAlpi(['help', 'laptops', '--lang=fr'], {env: {...env, OCLIF_COLUMNS: columns}})
      expect(topic.code, topic.stderr).toBe(0)
      expect(topic.stdout).toContain('COMMANDES')
    }
  })

  it('speaks French for a command of each campaign: summary, description, exit codes, global flags; English with --lang en', async () => {
    const cases = [
      [['laptops', 'wipe'], 'Effacer les disques des ordinateurs', 'Sanitise laptops'],
      [['firewalls', 'deploy'], "Pousser sans risque sa configuration à chaque boîtier d'école", 'Push each school box'],
      [['cityfamily', 'migrate'], "Transformer un export Abelium en fichiers d'import CityFamily", 'Turn an Abelium export'],
      [['win7', 'inventory', 'import'], "Importer le parc de PC d'un export des ordinateurs de GLPI", 'Import the PC fleet'],
    ] as const
    for (const [args, french, english] of cases) {
      const fr = await runAlpi([...args, '--help', '--lang', 'fr'], {env: {...env, OCLIF_COLUMNS: '200'}})
      expect(fr.code, fr.stderr).toBe(0)
      expect(fr.stderr).toBe('')
      expect(fr.stdout).toContain(french)
      expect(fr.stdout).toContain('CODES DE SORTIE')
      expect(fr.stdout).toContain('Ne jamais poser de question')
      expect(fr.stdout).not.toContain(english)
      expect(fr.stdout).not.toContain('EXIT CODES')
      const description = fr.stdout.slice(fr.stdout.indexOf('DESCRIPTION'), fr.stdout.indexOf('CODES DE SORTIE'))
      expect(description, args.join(' ')).not.toMatch(/\b(the|and|with|when)\b/)
      const en = await runAlpi([...args, '--help', '--lang', 'en'], {env})
      expect(en.stdout).toContain(english)
      expect(en.stdout).toContain('EXIT CODES')
    }
  })

  it('a command of each topic: French headings, hints and flag descriptions, none of its English ones', async () => {
    // Through the binary for one command of each topic (and the ones with the most flags); every
    // command is checked in one process by test/unit/cli/help.test.ts. LANG and --lang alternate.
    const picked = ['laptops:wipe', 'laptops:bench', 'firewalls:deploy', 'win7:stage', 'cityfamily:migrate', 'laptops:correct:lost']
    const sample = commands.filter(
      (c, i) => picked.includes(c.id) || commands.findIndex((x) => x.id.split(':')[0] === c.id.split(':')[0]) === i,
    )
    const english =
      /^(USAGE|FLAGS|GLOBAL FLAGS|EXAMPLES|ALIASES|COMMANDS|TOPICS|FLAG DESCRIPTIONS)$|<value>|\(required\)|\[default:|<options:/m
    const words = (text: string) => text.replace(/[ \n]+/g, ' ')
    expect(sample.length).toBeGreaterThan(10)
    const runs = await inBatches(sample, 2, (c, i) =>
      runAlpi([...c.id.split(':'), '--help', ...(i % 2 ? ['--lang', 'fr'] : [])], {env: {...env, ...(i % 2 ? {} : {LANG: 'fr_FR.UTF-8'})}}),
    )
    runs.forEach((r, i) => {
      const c = sample[i]!
      expect(r.code, `${c.id}: ${r.stderr}`).toBe(0)
      expect(r.stdout, c.id).toMatch(/^UTILISATION$/m)
      expect(r.stdout, c.id).toMatch(/^OPTIONS GLOBALES$/m)
      expect(r.stdout.match(english)?.[0], c.id).toBeUndefined()
      for (const x of [...Object.values(c.flags), ...Object.values(c.args)].filter((x) => x.description))
        expect(words(r.stdout), `${c.id}: English left`).not.toContain(words(x.description!))
    })
  })

  it("lists a topic's sub-topics and commands in French, each summary wrapped once to its column", async () => {
    const r = await runAlpi(['laptops', '--help'], {env: {...env, LANG: 'fr_FR.UTF-8', OCLIF_COLUMNS: '100'}})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^THÈMES\n {2}laptops beneficiaries /m)
    const root = await runAlpi(['--help'], {env: {...env, LANG: 'fr_FR.UTF-8'}})
    expect(root.stdout).toContain('UTILISATION\n  $ alpi [COMMANDE]\n')
    expect(root.stdout).toMatch(/^THÈMES\n {2}audit /m)
    expect(r.stdout).toMatch(/laptops lots\s+Les lots d'ordinateurs donnés/)
    expect(r.stdout).toMatch(/laptops correct\s+Corriger une erreur/)
    const commands = r.stdout.slice(r.stdout.indexOf('COMMANDES')).split('\n').slice(1)
    commands.forEach((line, i) => {
      // a line followed by the continuation of the same summary is filled to the column, not cut short by a second wrap
      if (/^ {20}\S/.test(commands[i + 1] ?? '')) expect(line.length, line).toBeGreaterThan(80)
    })
  })

  it('gives each sub-topic its own description', async () => {
    const laptops = await runAlpi(['laptops', '--help'], {env})
    expect(laptops.code).toBe(0)
    expect(laptops.stdout).toMatch(/laptops images\s+Golden images: record, list and verify them/)
    const firewalls = await runAlpi(['firewalls', '--help'], {env})
    expect(firewalls.stdout).toMatch(/firewalls schools\s+The school register/)
    const win7 = await runAlpi(['win7', '--help'], {env})
    expect(win7.stdout).toMatch(/win7 member\s+A member's staging settings/)
  })

  it('wipe and reimage help: no test variable, wrapped to the terminal', async () => {
    for (const args of [
      ['laptops', 'wipe', '--help'],
      ['laptops', 'reimage', '--help'],
    ]) {
      const r = await runAlpi(args, {env})
      expect(r.code).toBe(0)
      expect(r.stdout).not.toContain('ALPI_TEST_')
      for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100)
    }
  })

  it('wraps a long summary to the terminal width, like the other sections', async () => {
    const r = await runAlpi(['cityfamily', 'reconcile', '--help'], {env})
    expect(r.code).toBe(0)
    const [first, second] = r.stdout.split('\n')
    expect(first!.length).toBeLessThanOrEqual(80)
    expect(`${first} ${second}`).toContain(
      'Account for every row of an Abelium export in the CityFamily files: per entity and per household',
    )
    const description = r.stdout.slice(r.stdout.indexOf('DESCRIPTION'), r.stdout.indexOf('EXAMPLES'))
    for (const line of description.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80)
  })

  it('lists the accepted override keys of a school', async () => {
    const r = await runAlpi(['firewalls', 'schools', 'import', '--help'], {env})
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      'blockDomains, allowDomains, categories, whitelist, blockAddress, upstreamDns, managementCidr, vars',
    )
  })
})

describe('config set checks the key and the value against the settings schema', () => {
  const dir = tempDir('alpi-e2e-config-set-')
  const config = join(dir.path, 'config.json')
  const env = {ALPI_CONFIG: config}
  afterAll(() => dir.cleanup())

  it('refuses a value out of range with exit 2 and the range, and leaves the file as it was', async () => {
    expect((await runAlpi(['config', 'set', 'laptops.grading.batteryMinHealthPct', '70'], {env})).code).toBe(0)
    const before = readFileSync(config, 'utf8')
    const r = await runAlpi(['config', 'set', 'laptops.grading.batteryMinHealthPct', '150'], {env})
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/Error \[USAGE\]: Cannot set laptops\.grading\.batteryMinHealthPct/)
    expect(r.stderr).toContain('Give a number from 0 to 100.')
    expect(readFileSync(config, 'utf8')).toBe(before)
    const json = await runAlpi(['config', 'set', 'laptops.grading.batteryMinHealthPct', '150', '--json'], {env})
    expect(json.code).toBe(2)
    expect(json.stderr).toBe('')
    expect(json.json()).toMatchObject({status: 2, code: 'USAGE', actions: ['Give a number from 0 to 100.']})
  })

  it('refuses an unknown key with the keys that exist there, and a value of the wrong type', async () => {
    const r = await runAlpi(['config', 'set', 'laptops.grading.batteryMinHealth', '60'], {env})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no such setting')
    expect(r.stderr).toContain('laptops.grading.batteryMinHealthPct')
    const bool = await runAlpi(['config', 'set', 'laptops.grading.batteryRequired', 'maybe'], {env})
    expect(bool.code).toBe(2)
    const fw = await runAlpi(['config', 'set', 'firewalls.concurrency', '0'], {env})
    expect(fw.code).toBe(2)
    expect(fw.stderr).toContain('Give a number from 1 to 200.')
  })

  it('accepts valid settings of each campaign and --unset', async () => {
    for (const [key, value] of [
      ['firewalls.concurrency', '20'],
      ['win7.domain', 'mairie.example'],
      ['laptops.grading.batteryRequired', 'false'],
      ['lang', 'fr'],
    ]) {
      const r = await runAlpi(['config', 'set', key!, value!], {env})
      expect(r.code, r.stderr).toBe(0)
    }
    expect((await runAlpi(['config', 'set', 'win7.domain', '--unset'], {env})).code).toBe(0)
    expect(JSON.parse(readFileSync(config, 'utf8'))).toMatchObject({
      firewalls: {concurrency: 20},
      laptops: {grading: {batteryMinHealthPct: 70, batteryRequired: false}},
      lang: 'fr',
    })
  })
})
