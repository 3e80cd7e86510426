import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {Eta} from 'eta'
import {BugError} from './errors.js'

/**
 * The one template renderer (Eta). Each output kind has its own escaping, chosen from the
 * template's name (`x.xml.eta` → XML) or given explicitly. `<%= it.x %>` escapes,
 * `<%~ it.x %>` writes raw (only for values the code built itself).
 */
export type Escape = 'xml' | 'html' | 'shell' | 'powershell' | 'none'

export function escapeXml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;'})[c]!)
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!)
}

/** POSIX shell: one single-quoted word, safe for any content. */
export function shellQuote(value: unknown): string {
  const s = String(value ?? '')
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** PowerShell: one single-quoted literal (no expansion inside). */
export function powershellQuote(value: unknown): string {
  return `'${String(value ?? '').replace(/['‘’‚‛]/g, (q) => q + q)}'`
}

const ESCAPERS: Record<Escape, (v: unknown) => string> = {
  xml: escapeXml,
  html: escapeHtml,
  shell: shellQuote,
  powershell: powershellQuote,
  none: (v) => String(v ?? ''),
}

export function escapeFor(name: string): Escape {
  if (/\.(xml|svg)\.eta$/.test(name)) return 'xml'
  if (/\.html?\.eta$/.test(name)) return 'html'
  if (/\.sh\.eta$/.test(name)) return 'shell'
  if (/\.ps1\.eta$/.test(name)) return 'powershell'
  return 'none'
}

const engines = new Map<string, Eta>()

function engine(templatesDir: string, escape: Escape): Eta {
  const key = `${templatesDir}\0${escape}`
  let eta = engines.get(key)
  if (!eta) {
    eta = new Eta({
      views: templatesDir,
      autoEscape: escape !== 'none',
      escapeFunction: ESCAPERS[escape],
      autoTrim: false,
      cache: true,
      defaultExtension: '.eta',
    })
    engines.set(key, eta)
  }
  return eta
}

/** Render templates/<name> (e.g. "win7/autounattend.xml.eta") with `it` = data. */
export function renderTemplate(templatesDir: string, name: string, data: object, escape: Escape = escapeFor(name)): string {
  if (!existsSync(join(templatesDir, name))) throw new BugError(`Template ${name} is missing from ${templatesDir}`)
  return engine(templatesDir, escape).render(name.startsWith('./') ? name : `./${name}`, data)
}
