// The ES module half of module-trace.mjs (runs on the loader thread).
import {appendFileSync} from 'node:fs'

export async function load(url, context, nextLoad) {
  appendFileSync(process.env.ALPI_TRACE_MODULES, `${url}\n`)
  return nextLoad(url, context)
}
