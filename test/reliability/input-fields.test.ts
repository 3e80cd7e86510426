import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {textProblem} from '../../src/csv/fields.js'
import {schoolSchema} from '../../src/firewalls/model.js'
import {openStore} from '../../src/store/db.js'
import {runAlpi} from '../helpers/cli.js'
import {tempDir} from '../helpers/context.js'

/**
 * Issue 10 item 14: NUL bytes, CR/LF inside one-line fields and 50 MB names passed validation
 * and reached reports, answer files and CityFamily outputs. Every text field now has a length
 * limit and a character class; the reason goes to the rejects file with the row number; a
 * record larger than the reader's bound (16 MiB) stops the file with an error naming its line,
 * before anything is written. Through the built binary.
 */

// Anything that must never reach a store or an output: NUL and the other C0 controls but
// tab, CR and LF (which only free-text fields may hold).
const FORBIDDEN_IN_OUTPUT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/

const SITES = 'code;name;convention_ref;convention_signed;convention_end;quota\nMAIS-1;Maison de l’emploi;CONV-1;01/01/2026;31/12/2027;50\n'

describe('control characters and unbounded text', {timeout: 180_000}, () => {
  const dir = tempDir('alpi-rel-fields-')
  const db = join(dir.path, 'alpi.sqlite')
  const env = {ALPI_DB: db}
  const run = (args: string[], input?: string | Buffer) => runAlpi(args, {env, cwd: dir.path, ...(input === undefined ? {} : {input})})
  beforeAll(async () => {
    writeFileSync(join(dir.path, 'sites.csv'), SITES)
    const r = await run(['laptops', 'sites', 'import', join(dir.path, 'sites.csv')])
    expect(r.code, r.stderr).toBe(0)
  })
  afterAll(() => dir.cleanup())

  it('Given beneficiaries with a NUL, a quoted line break and a 300-character name, Then those rows are rejected by number with the reason, the others kept', async () => {
    const file = join(dir.path, 'benef.csv')
    writeFileSync(
      file,
      [
        'ref;name;commune;site_code',
        'B-1;Jeanne Martin;Dax;MAIS-1', // 2
        'B-2;Paul\u0000Durand;Dax;MAIS-1', // 3
        'B-3;"Anne\r\nLegrand";Pau;MAIS-1', // 4-5
        `B-4;${'N'.repeat(300)};Pau;MAIS-1`, // 6
        'B-5;Luc Petit;Mont\u2028de-Marsan;MAIS-1', // 7
        'B-6;Éloïse Œuvray;Mont-de-Marsan;MAIS-1', // 8
        '',
      ].join('\n'),
    )
    const r = await run(['laptops', 'beneficiaries', 'import', file, '--json'])
    expect(r.code, r.stderr).toBe(3)
    const result = r.json().data
    expect(result.rejects.map((x: {row: number}) => x.row)).toEqual([3, 4, 6, 7])
    const messages = result.rejects.map((x: {message: string}) => x.message)
    expect(messages[0]).toMatch(/control character NUL \(U\+0000\) at position 5/)
    expect(messages[1]).toMatch(/control character CR \(U\+000D\)/)
    expect(messages[2]).toMatch(/longer than 200 characters/)
    expect(messages[3]).toMatch(/LINE SEPARATOR/)
    // no message quotes the value (personal data); the rejects file holds the reason and the row
    expect(JSON.stringify(result)).not.toContain('Durand')
    const rejects = readFileSync(join(dir.path, 'benef.rejects.csv'), 'utf8')
    expect(rejects).toMatch(/\r\n3;name;control character NUL/)
    expect(rejects).toMatch(/\r\n6;name;text longer than 200 characters/)
    const store = await openStore({url: db})
    try {
      const rows = await store.db.selectFrom('laptop_beneficiaries').select(['ref', 'name', 'commune']).orderBy('ref').execute()
      expect(rows.map((x) => x.ref)).toEqual(['B-1', 'B-6'])
      expect(rows.every((x) => !FORBIDDEN_IN_OUTPUT.test(x.name + x.commune) && !/[\r\n]/.test(x.name))).toBe(true)
    } finally {
      await store.close()
    }
  })

  it('Given a 50 MB name, Then the file is refused (exit 2) naming its line, with bounded memory, and nothing is imported or written', async () => {
    const file = join(dir.path, 'huge.csv')
    const big = Buffer.alloc(50 * 1024 * 1024, 'A')
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('ref;name;commune;site_code\nH-1;Jean Dupont;Dax;MAIS-1\nH-2;'),
        big,
        Buffer.from(';Dax;MAIS-1\nH-3;Ok;Dax;MAIS-1\n'),
      ]),
    )
    const r = await runAlpi(['laptops', 'beneficiaries', 'import', file, '--json'], {
      env: {...env, NODE_OPTIONS: '--max-old-space-size=160'},
      cwd: dir.path,
    })
    expect(r.code, r.stderr).toBe(2)
    const e = r.json()
    expect(e).toMatchObject({status: 2, code: 'USAGE'})
    expect(e.message).toMatch(/row starting on line 3 is larger than 16777216 characters/)
    expect(existsSync(join(dir.path, 'huge.rejects.csv'))).toBe(false)
    const store = await openStore({url: db})
    try {
      const refs = await store.db.selectFrom('laptop_beneficiaries').select('ref').where('ref', 'like', 'H-%').execute()
      expect(refs).toEqual([])
    } finally {
      await store.close()
    }
  })

  it('Given laptops with a NUL in the model and a line break in the asset tag, Then rejected; a multi-line note is kept (free text), a NUL in it is not', async () => {
    const input = [
      'serial;asset_tag;model;notes',
      'LT-1;A1;Lat\u0000itude;ok',
      'LT-2;"A\n2";EliteBook;ok',
      'LT-3;A3;T480;"rayure\ncapot"',
      'LT-4;A4;T480;"bad\u0000note"',
      '',
    ].join('\n')
    const r = await run(['laptops', 'import', '-', '--json'], input)
    expect(r.code, r.stderr).toBe(3)
    expect(r.json().data.rejects.map((x: {row: number; field: string}) => `${x.row}:${x.field}`)).toEqual([
      '2:model',
      '3:asset_tag',
      '7:notes',
    ])
    const store = await openStore({url: db})
    try {
      const rows = await store.db.selectFrom('laptops').select(['serial', 'notes']).where('serial', 'like', 'LT-%').execute()
      expect(rows).toEqual([{serial: 'LT-3', notes: 'rayure\ncapot'}])
    } finally {
      await store.close()
    }
  })

  it('Given a GLPI inventory with a NUL in a name and a line break in the user, Then rejected by row (win7 inventory import)', async () => {
    const input = [
      'Numéro de série;Entité;Nom;Usager',
      'W7-1;Mairie de Dax;PC-ACCUEIL;jdupont',
      'W7-2;Mairie de Dax;PC\u0000COMPTA;mdurand',
      'W7-3;Mairie de Dax;PC-RH;"p\rmartin"',
      '',
    ].join('\r\n')
    const r = await run(['win7', 'inventory', 'import', '-', '--json'], input)
    expect(r.code, r.stderr).toBe(3)
    expect(r.json().data.rejects.map((x: {row: number}) => x.row)).toEqual([3, 4])
  })

  it('Given win7 member settings with a line break, Then exit 2 before anything reaches the answer file', async () => {
    const r = await run(['win7', 'member', 'set', 'mairie-de-dax', '--ou', 'OU=PC,DC=x\n</Identification><Evil/>', '--json'])
    expect(r.code, r.stderr).toBe(2)
    expect(r.json().message).toMatch(/--ou: control character LF/)
  })

  it('Given a CityFamily export with a NUL in a name and a line break in an address, When migrated, Then those rows are rejected and no output file holds a control character', async () => {
    const src = join(dir.path, 'cf-src')
    const a = await run(['cityfamily', 'sample', '--families', '8', '--seed', '3', '--clean', '--out', src])
    expect(a.code, a.stderr).toBe(0)
    const edit = (name: string, row: number, col: number, value: string) => {
      const path = join(src, name)
      const lines = iconv.decode(readFileSync(path), 'windows-1252').split('\r\n')
      const cells = lines[row - 1]!.split(';')
      cells[col] = value
      lines[row - 1] = cells.join(';')
      writeFileSync(path, iconv.encode(lines.join('\r\n'), 'windows-1252'))
    }
    edit('INDIVIDUS.csv', 3, 1, 'Dup\u0000ont')
    edit('FAMILLES.csv', 2, 2, '"12 rue des Pins\r\nBÂTIMENT B"')
    const out = join(dir.path, 'cf-out')
    const m = await run(['cityfamily', 'migrate', src, '--out', out, '--json'])
    expect(m.code, m.stderr).toBe(3)
    const tsv = readFileSync(join(out, 'rejets.tsv'), 'utf8')
    expect(tsv).toMatch(/INDIVIDUS\.csv\t3\tNom\t[\s\S]*?control character NUL/)
    expect(tsv).toMatch(/FAMILLES\.csv\t2\tAdresse\t[\s\S]*?control character CR/)
    for (const f of readdirSync(out).filter((x) => x.startsWith('cf_'))) {
      expect(FORBIDDEN_IN_OUTPUT.test(readFileSync(join(out, f), 'latin1')), f).toBe(false)
    }
  })

  it('the shared rule: one-line fields refuse every control character, free text only keeps tab and line breaks; the firewalls model uses it', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/)
    expect(textProblem('a\tb')).toMatch(/TAB/)
    expect(textProblem('a\u0085b')).toMatch(/U\+0085/)
    expect(textProblem('a\r\nb\tc', {multiline: true})).toBeUndefined()
    expect(textProblem('a\u0000b', {multiline: true})).toMatch(/NUL/)
    expect(textProblem('x'.repeat(201))).toMatch(/longer than 200/)
    expect(textProblem('x'.repeat(201), {max: 300})).toBeUndefined()
    const school = schoolSchema().safeParse({
      uai: '0400001K',
      name: 'École\u0000',
      communeInsee: '40192',
      authorityKind: 'commune',
      authorityName: 'Dax',
      wanMode: 'dhcp',
      lanCidr: '10.1.0.0/24',
      lanGateway: '10.1.0.1',
      dhcpStart: '10.1.0.100',
      dhcpEnd: '10.1.0.200',
    })
    expect(school.success).toBe(false)
    expect(JSON.stringify(school.error?.issues)).toMatch(/NUL/)
  })
})
