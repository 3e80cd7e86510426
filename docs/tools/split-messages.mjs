#!/usr/bin/env node
/**
 * Split a module's one-file catalog (src/<module>/messages.ts, or any file holding
 * `{en: {...}, fr: {...}}` catalogs) into one file per language:
 *
 *   src/<module>/messages/en.ts     export const LINES = {...} as const-like objects (the keys)
 *   src/<module>/messages/fr.ts     export const LINES: Record<keyof typeof en.LINES, string> = {...}
 *   src/<module>/messages/index.ts  the rest of the old file (t, msg, stateName...), using en.X / fr.X
 *
 * and rewrite every import of the old file in src/, commands/, test/ and bench/ to messages/index.js.
 * Every catalog is an object literal with `en` and `fr` properties, each either an object literal
 * or the name of a `const X_EN = {...}` of the same file. Its name in the language files is the
 * variable that holds it (`export const LINES = {en, fr}` -> LINES; `export const t =
 * defineMessages({...})` -> T). Then: npm run build, and the catalog test (test/unit/i18n).
 *
 * Usage (from the repository root): node docs/tools/split-messages.mjs src/laptops/messages.ts [out-dir]
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import {basename, dirname, join, relative, resolve} from 'node:path'
import ts from 'typescript'

const [file, outArg] = process.argv.slice(2)
if (!file) {
  console.error('usage: node docs/tools/split-messages.mjs src/<module>/messages.ts [out-dir]')
  process.exit(2)
}
const source = readFileSync(file, 'utf8')
const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true)
const outDir = resolve(outArg ?? join(dirname(file), 'messages'))
const consts = new Map() // X_EN -> its initializer
const catalogs = [] // {name, en: node, fr: node, literal: node}

function holderName(node) {
  for (let p = node.parent; p; p = p.parent) if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text
  return undefined
}
function prop(obj, name) {
  return obj.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === name)?.initializer
}
ts.forEachChild(sf, function visit(node) {
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isObjectLiteralExpression(node.initializer))
    consts.set(node.name.text, node)
  if (ts.isObjectLiteralExpression(node)) {
    const en = prop(node, 'en')
    const fr = prop(node, 'fr')
    if (en && fr && node.properties.length === 2) {
      const holder = holderName(node)
      // `export const t = defineMessages({...})`: the module's one catalog, MESSAGES.
      const name = holder && (holder.length === 1 ? 'MESSAGES' : holder.replace(/_EN$/, '').toUpperCase())
      if (name) catalogs.push({name, en, fr, literal: node})
      return
    }
  }
  ts.forEachChild(node, visit)
})
if (catalogs.length === 0) {
  console.error(`${file}: no {en, fr} catalog found`)
  process.exit(1)
}

// A literal nested in `{en: {...}}` is indented one level too deep for a top-level constant.
function dedented(node) {
  const col = sf.getLineAndCharacterOfPosition(node.parent.getStart()).character
  return node
    .getText()
    .split('\n')
    .map((l, i) => (i === 0 ? l : l.replace(new RegExp(`^ {0,${col}}`), '')))
    .join('\n')
}

const edits = [] // [start, end, text] on the old file, becoming index.ts
const enOut = []
const frOut = []
for (const c of catalogs) {
  let enText
  if (ts.isIdentifier(c.en)) {
    const decl = consts.get(c.en.text)
    if (!decl) throw new Error(`${c.en.text}: not an object literal of this file`)
    enText = decl.initializer.getText()
    // The X_EN constant stays only as an alias: `const X_EN = en.X`.
    edits.push([decl.initializer.getStart(), decl.initializer.getEnd(), `en.${c.name}`])
    if (decl.type) edits.push([decl.type.getStart() - 2, decl.type.getEnd(), ''])
  } else enText = dedented(c.en)
  const typeOf =
    ts.isIdentifier(c.en) && consts.get(c.en.text)?.type
      ? consts.get(c.en.text).type.getText()
      : `Record<keyof typeof en.${c.name}, string>`
  enOut.push(`export const ${c.name}${typeOf.startsWith('Record<keyof') ? '' : `: ${typeOf}`} = ${enText}\n`)
  frOut.push(`export const ${c.name}: ${typeOf} = ${ts.isIdentifier(c.fr) ? c.fr.text : dedented(c.fr)}\n`)
  edits.push([c.literal.getStart(), c.literal.getEnd(), `{en: en.${c.name}, fr: fr.${c.name}}`])
}
let index = source
for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) index = index.slice(0, start) + text + index.slice(end)

// Relative imports move one folder down; the types the language files need come along.
const deeper = (text) =>
  text.replace(/(from\s+|import\()(['"])(\.\.?\/)/g, (m, kw, q, dot) => `${kw}${q}${dot === './' ? '../' : '../../'}`)
const typeImports = sf.statements
  .filter((s) => ts.isImportDeclaration(s) && !s.moduleSpecifier.text.endsWith('i18n.js'))
  .map((s) => deeper(s.getText()))
const usedTypes = (text) =>
  typeImports.filter((i) => [...i.matchAll(/\b([A-Z]\w*)\b/g)].some(([, n]) => new RegExp(`\\b${n}\\b`).test(text.replace(i, ''))))
const enFile = enOut.join('\n')
const frFile = frOut.join('\n')
const header = (lang) =>
  `/** ${lang === 'en' ? 'English' : 'French'} texts of ${relative(process.cwd(), file)} (split by docs/tools/split-messages.mjs). */\n`
mkdirSync(outDir, {recursive: true})
writeFileSync(join(outDir, 'en.ts'), header('en') + [...usedTypes(enFile)].join('\n') + (usedTypes(enFile).length ? '\n\n' : '') + enFile)
const frImports = [...usedTypes(frFile), ...(frFile.includes('typeof en.') ? ["import type * as en from './en.js'"] : [])]
writeFileSync(join(outDir, 'fr.ts'), header('fr') + frImports.join('\n') + (frImports.length ? '\n\n' : '') + frFile)
index = deeper(index)
const firstImport = index.search(/^import /m)
index = index.slice(0, firstImport) + "import * as en from './en.js'\nimport * as fr from './fr.js'\n" + index.slice(firstImport)
writeFileSync(join(outDir, 'index.ts'), index)
if (resolve(file) !== join(outDir, 'index.ts')) unlinkSync(file)

// Every import of the old file now names messages/index.js.
const oldAbs = resolve(file).replace(/\.ts$/, '')
const newAbs = join(outDir, 'index')
function walk(dir) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e)
    if (e === 'node_modules' || e === 'dist') continue
    if (statSync(p).isDirectory()) walk(p)
    else if (/\.(ts|mts|mjs)$/.test(e) && !p.startsWith(outDir)) {
      const text = readFileSync(p, 'utf8')
      const next = text.replace(/(['"])(\.\.?\/[^'"]*?)\.js\1/g, (m, q, spec) => {
        if (resolve(dirname(p), spec) !== oldAbs) return m
        let rel = relative(dirname(p), newAbs)
        if (!rel.startsWith('.')) rel = './' + rel
        return `${q}${rel}.js${q}`
      })
      if (next !== text) writeFileSync(p, next)
    }
  }
}
for (const d of ['src', 'commands', 'test', 'bench']) if (existsSync(d)) walk(d)
console.log(`${file} -> ${relative(process.cwd(), outDir)}/{en,fr,index}.ts (${catalogs.map((c) => c.name).join(', ')})`)
