#!/usr/bin/env node
// Startup benchmark: `alpi --version` and `alpi --help` against a bare `node -e 0`,
// interleaved in the same run, median of N runs each. Target: within 2.5x (issue 2).
// Needs a build (npm run build). Usage: node bench/cli-startup.mjs [runs]
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const runs = Number(process.argv[2] ?? 25)
const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const cases = {
  'node -e 0': ['-e', '0'],
  'alpi --version': [bin, '--version'],
  'alpi --help': [bin, '--help'],
}
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
for (let i = 0; i < runs + 2; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const t0 = process.hrtime.bigint()
    const r = spawnSync(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NODE_ENV: 'production'}})
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`)
    if (i >= 2) times[name].push(ms) // two warm-up rounds
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]
const base = median(times['node -e 0'])
let ok = true
for (const [name, t] of Object.entries(times)) {
  const ratio = median(t) / base
  if (name !== 'node -e 0' && ratio > 2.5) ok = false
  console.log(`${name.padEnd(16)} median ${median(t).toFixed(1).padStart(7)} ms  ratio ${ratio.toFixed(2)}x`)
}
console.log(ok ? 'startup: within 2.5x of node -e 0' : 'startup: OVER the 2.5x target')
