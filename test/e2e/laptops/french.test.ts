import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'

// The technicians are French: with --lang fr or LANG=fr_FR.UTF-8 the refusals come out in
// French, with the same codes and data; English otherwise. Generated serials, no real people.
describe('laptops refusals in French (binary)', {timeout: 300_000}, () => {
  const dir = tempDir('alpi-e2e-laptops-french-')
  const db = join(dir.path, 'alpi.sqlite')
  // the language comes from the flag or the environment only: no LANG/LC_* from the machine running the tests
  const base = {ALPI_NOW: '2026-11-28T09:00:00Z', ALPI_TECHNICIAN: 'tech-e2e', LANG: 'C.UTF-8', LC_ALL: undefined, LC_MESSAGES: undefined}
  const french = {...base, LANG: 'fr_FR.UTF-8'}
  const alpi = (args: string[], env: Record<string, string | undefined> = base) => runAlpi([...args, '--db', db], {env})

  const FR_REFUSAL =
    "L'ordinateur PF1FR001 est reçu : il doit être diagnostiqué, puis effacé, puis imagé, puis prêt, puis attribué avant de pouvoir être retourné"
  const EN_REFUSAL =
    'Laptop PF1FR001 is received: it must be diagnosed, then wiped, then imaged, then ready, then allocated before it can be returned'

  beforeAll(async () => {
    const file = join(dir.path, 'lot.csv')
    writeFileSync(file, 'serial;maker;model\nPF1FR001;Lenovo;ThinkPad L380\n')
    const r = await alpi(['laptops', 'import', file])
    expect(r.code).toBe(0)
  })
  afterAll(() => dir.cleanup())

  it('--lang fr: the transition refusal in French on stderr, state names translated, command lines unchanged', async () => {
    const r = await alpi(['laptops', 'return', 'PF1FR001', '--lang', 'fr'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trim().split('\n')
    expect(lines[0]).toBe(`Erreur [LAPTOP_TRANSITION_REFUSED]: ${FR_REFUSAL}`)
    expect(lines.slice(1)).toEqual([
      '  → diagnostiqué : alpi laptops grade SERIAL (diagnostic : probe puis grade)',
      '  → effacé : alpi laptops wipe --device DEV --serial SERIAL',
      '  → imagé : alpi laptops reimage --image NAME --device DEV',
      "  → prêt : automatique après un reimage vérifié, pour un ordinateur jugé « prêt » au diagnostic et doté d'un grade esthétique",
      '  → attribué : alpi laptops allocate --site SITE --count N',
    ])
  })

  it('--lang fr --json: same code and data as in English, the message in French', async () => {
    const fr = await alpi(['laptops', 'return', 'PF1FR001', '--lang', 'fr', '--json'])
    const en = await alpi(['laptops', 'return', 'PF1FR001', '--lang', 'en', '--json'])
    expect([fr.code, en.code]).toEqual([1, 1])
    const [jf, je] = [fr.json(), en.json()]
    expect(jf.code).toBe('LAPTOP_TRANSITION_REFUSED')
    expect(jf.code).toBe(je.code)
    expect(jf.status).toBe(je.status)
    expect(jf.data).toEqual(je.data)
    expect(jf.data).toEqual({
      serial: 'PF1FR001',
      from: 'received',
      to: 'returned',
      missing: ['diagnosed', 'wiped', 'imaged', 'ready', 'allocated'],
    })
    expect(jf.message).toBe(FR_REFUSAL)
    expect(je.message).toBe(EN_REFUSAL)
    expect(jf.actions).toHaveLength(je.actions.length)
  })

  it('LANG=fr_FR.UTF-8 without --lang: French; --lang en wins over it; English by default', async () => {
    const fr = await alpi(['laptops', 'return', 'PF1FR001'], french)
    expect(fr.code).toBe(1)
    expect(fr.stderr).toContain(`Erreur [LAPTOP_TRANSITION_REFUSED]: ${FR_REFUSAL}`)
    const en = await alpi(['laptops', 'return', 'PF1FR001', '--lang', 'en'], french)
    expect(en.code).toBe(1)
    expect(en.stderr).toContain(`Error [LAPTOP_TRANSITION_REFUSED]: ${EN_REFUSAL}`)
    expect(en.stderr).toContain('  → diagnosed: alpi laptops grade SERIAL (diagnosis: probe + grade)')
    const plain = await alpi(['laptops', 'return', 'PF1FR001'])
    expect(plain.stderr).toContain(`Error [LAPTOP_TRANSITION_REFUSED]: ${EN_REFUSAL}`)
    expect(plain.stderr).not.toMatch(/ordinateur/)
  })

  it('other refusals in French too: an unknown serial, a missing argument, a rejected row', async () => {
    const nf = await alpi(['laptops', 'return', 'PF1NOPE9', '--json'], french)
    expect(nf.code).toBe(1)
    expect(nf.json()).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Aucun ordinateur avec le numéro de série PF1NOPE9',
      data: {serial: 'PF1NOPE9'},
    })
    expect(nf.json().actions[0]).toMatch(/^Vérifiez le numéro de série .*`alpi laptops import FILE`\.$/)
    const usage = await alpi(['laptops', 'grade', '--lang', 'fr'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('Erreur [USAGE]: Donnez un SERIAL ou --sheet FILE')
    const file = join(dir.path, 'lot-placeholder.csv')
    writeFileSync(file, 'serial;maker\nDefault string;Acer\n')
    const rej = await alpi(['laptops', 'import', file, '--json'], french)
    expect(rej.code).toBe(3)
    expect(readFileSync(rej.json().data.rejectsFile, 'utf8')).toContain(
      '« Default string » est une valeur par défaut du micrologiciel, pas un numéro de série',
    )
  })
})
