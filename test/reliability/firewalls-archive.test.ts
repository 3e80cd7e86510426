import {execFileSync} from 'node:child_process'
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {runAlpi} from '../helpers/cli.js'
import {tempDir} from '../helpers/context.js'

// A UT1 archive comes from outside. One that plants a link (a category's `domains` pointing at a
// system file, or a category folder pointing elsewhere) must load nothing: real tar archives,
// real symlinks, through the binary.
describe('firewalls lists update: links planted in a UT1 archive', () => {
  const dir = tempDir('alpi-rel-ut1-')
  const db = join(dir.path, 'alpi.sqlite')
  const secret = join(dir.path, 'secret.txt')
  writeFileSync(secret, 'secret-host.example\n')

  function archive(name: string, build: (root: string) => void): string {
    const src = join(dir.path, `${name}-src`)
    mkdirSync(join(src, 'blacklists'), {recursive: true})
    build(join(src, 'blacklists'))
    const file = join(dir.path, `${name}.tar.gz`)
    execFileSync('tar', ['-czf', file, '-C', src, 'blacklists'])
    return file
  }

  function versions(): number {
    const raw = new BetterSqlite3(db, {readonly: true})
    try {
      return (raw.prepare('select count(*) as n from fw_list_versions').get() as {n: number}).n
    } finally {
      raw.close()
    }
  }

  it('refuses a domains file that is a link, and a category folder that is a link; a plain archive loads', async () => {
    const fileLink = archive('file-link', (root) => {
      mkdirSync(join(root, 'adult'))
      symlinkSync(secret, join(root, 'adult', 'domains'))
    })
    const dirLink = archive('dir-link', (root) => {
      mkdirSync(join(dir.path, 'elsewhere'))
      writeFileSync(join(dir.path, 'elsewhere', 'domains'), 'secret-host.example\n')
      symlinkSync(join(dir.path, 'elsewhere'), join(root, 'adult'))
    })
    const plain = archive('plain', (root) => {
      mkdirSync(join(root, 'adult'))
      writeFileSync(join(root, 'adult', 'domains'), 'adult.test\nporn.test\n')
    })
    expect((await runAlpi(['db', 'migrate', '--db', db])).code).toBe(0)
    for (const evil of [fileLink, dirLink]) {
      const r = await runAlpi(['firewalls', 'lists', 'update', '--from', evil, '--category', 'adult', '--db', db])
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain('adult/domains is not a plain file in a plain folder')
      expect(r.stdout).not.toContain('secret-host')
      expect(versions()).toBe(0)
    }
    const fr = await runAlpi(['firewalls', 'lists', 'update', '--from', fileLink, '--category', 'adult', '--db', db, '--lang', 'fr'])
    expect(fr.stderr).toContain('n’est pas un simple fichier dans un simple dossier')
    const ok = await runAlpi(['firewalls', 'lists', 'update', '--from', plain, '--category', 'adult', '--db', db, '--json'])
    expect(ok.code, ok.stderr).toBe(0)
    expect(versions()).toBe(1)
  })
})
