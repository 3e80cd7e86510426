import {execFileSync} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {escapeXml, powershellQuote, renderTemplate, shellQuote} from '../../../src/core/templates.js'
import {tempDir} from '../../helpers/context.js'

describe('template renderer', () => {
  it('escapes per output kind chosen by the file name', () => {
    const dir = tempDir()
    mkdirSync(join(dir.path, 'x'))
    writeFileSync(join(dir.path, 'x', 'a.xml.eta'), '<n><%= it.v %></n>')
    writeFileSync(join(dir.path, 'x', 'a.html.eta'), '<p><%= it.v %></p>')
    writeFileSync(join(dir.path, 'x', 'a.sh.eta'), 'echo <%= it.v %>')
    const v = `Mairie d'Aire & <Adour> "x"`
    expect(renderTemplate(dir.path, 'x/a.xml.eta', {v})).toBe('<n>Mairie d&apos;Aire &amp; &lt;Adour&gt; &quot;x&quot;</n>')
    expect(renderTemplate(dir.path, 'x/a.html.eta', {v})).toBe('<p>Mairie d&#39;Aire &amp; &lt;Adour&gt; &quot;x&quot;</p>')
    const script = renderTemplate(dir.path, 'x/a.sh.eta', {v: `a'; touch /tmp/pwned-$$ #`})
    expect(execFileSync('sh', ['-c', script]).toString()).toBe(`a'; touch /tmp/pwned-$$ #\n`)
    dir.cleanup()
  })

  it('quotes shell and PowerShell words so metacharacters stay literal', () => {
    for (const s of ['', 'plain', `it's`, '$(reboot)', '`id`', 'a b\nc', '; rm -rf / #']) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(s)}`]).toString()).toBe(s)
    }
    expect(powershellQuote(`l'école`)).toBe(`'l''école'`)
    expect(escapeXml('<&>')).toBe('&lt;&amp;&gt;')
  })
})
