import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {DIRECTORY_HEADER, sampleAuthorityList, sampleDirectory} from '../../fixtures/firewalls/directory.js'

/**
 * The bundled register samples are generated (synthetic): templates/samples/ holds exactly the
 * generator's output. To regenerate after changing the generator:
 * ALPI_WRITE_SAMPLES=1 npx vitest run --config test/vitest.config.ts test/unit/firewalls/samples.test.ts
 */
const SAMPLES = join(import.meta.dirname, '../../../templates/samples')

describe('register samples under templates/samples', () => {
  const files: [string, string][] = [
    ['annuaire-education-landes.csv', sampleDirectory()],
    ['ecoles-autorite.csv', '\ufeff' + sampleAuthorityList()],
  ]
  for (const [name, text] of files) {
    it(`${name} is the generator's output`, () => {
      if (process.env.ALPI_WRITE_SAMPLES) writeFileSync(join(SAMPLES, name), text)
      expect(readFileSync(join(SAMPLES, name), 'utf8')).toBe(text)
    })
  }

  it("the directory sample has the national export's header, ; separated, one row per school", () => {
    const lines = sampleDirectory()
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n')
    expect(lines[0]!.split(';')).toEqual([...DIRECTORY_HEADER])
    expect(lines[0]!.split(';').slice(0, 4)).toEqual([
      'Identifiant_de_l_etablissement',
      'Nom_etablissement',
      'Type_etablissement',
      'Statut_public_prive',
    ])
    expect(lines.slice(1).every((l) => l.split(';').length === DIRECTORY_HEADER.length)).toBe(true)
  })
})
