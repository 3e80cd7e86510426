import {Config} from '@oclif/core'
import {afterEach, describe, expect, it} from 'vitest'
import AlpiHelp from '../../../src/cli/help.js'
import {COMMANDS_FR} from '../../../src/cli/messages/help.fr.js'
import {setLanguage} from '../../../src/core/i18n.js'
import {REPO_ROOT} from '../../helpers/context.js'

/**
 * The help class on the real manifest (npm run build): French from the catalog keyed by command
 * id with --lang fr, English from the command classes otherwise. (Through the binary once
 * package.json's oclif.helpClass names ./dist/src/cli/help.js.)
 */
class CapturedHelp extends AlpiHelp {
  out = ''
  protected override log(...args: string[]): void {
    this.out += args.join(' ') + '\n'
  }
}

async function help(argv: string[]): Promise<string> {
  const h = new CapturedHelp(await Config.load(REPO_ROOT))
  await h.showHelp(argv)
  return h.out
}

afterEach(() => setLanguage(undefined))

describe('help in French', () => {
  it('a command: its summary and the global flags in French with --lang fr, in English with --lang en', async () => {
    const fr = await help(['db:status', '--lang', 'fr'])
    expect(fr).toContain('Montrer où est la base, ses migrations et le nombre de lignes')
    expect(fr).toContain('Ne jamais poser de question')
    expect(fr).not.toContain('Show where the store is')
    const en = await help(['db:status', '--lang', 'en'])
    expect(en).toContain('Show where the store is, its migrations and row counts')
    expect(en).not.toContain('Montrer')
  })

  it("a topic: its commands' summaries in French", async () => {
    const fr = await help(['hosts', '--lang', 'fr'])
    expect(fr).toContain("Lister les clés d'hôte SSH épinglées")
  })

  it('every id of the French catalog is a command', async () => {
    const config = await Config.load(REPO_ROOT)
    for (const id of Object.keys(COMMANDS_FR)) expect(config.findCommand(id), id).toBeDefined()
  })
})
