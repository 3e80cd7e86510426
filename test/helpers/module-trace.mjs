// Preload (node --import) that appends every module a process loads to the file named by
// ALPI_TRACE_MODULES, one path or URL a line: ES modules through a loader hook, CommonJS ones
// (which the hook does not see when one CommonJS file requires another) through Module._load.
// test/e2e/spine/startup-loads.test.ts uses it to check what a command loads.
import {appendFileSync} from 'node:fs'
import Module, {register} from 'node:module'

const out = process.env.ALPI_TRACE_MODULES
if (out) {
  register(new URL('./module-trace-hooks.mjs', import.meta.url))
  const load = Module._load
  Module._load = function (request, parent, isMain) {
    try {
      appendFileSync(out, `${Module._resolveFilename(request, parent, isMain)}\n`)
    } catch {
      // a request that does not resolve fails in the real load below
    }
    return load.apply(this, arguments)
  }
}
