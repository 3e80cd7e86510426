import type {Reporter, TestModule} from 'vitest/node'

/**
 * Prints the plain closing line "N passed, N failed, N skipped" that CI reads, and before it
 * each test that passed only on its retry (test/vitest.config.ts), by name: a retry lets a run
 * on a loaded machine land, and never hides which test needed it.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    const flaky: string[] = []
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
        if (state === 'passed' && t.diagnostic()?.flaky) flaky.push(`${m.relativeModuleId} > ${t.fullName}`)
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++ // a file that failed to load
    }
    for (const name of flaky) process.stdout.write(`\nFLAKY (passed on its retry): ${name}`)
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped${flaky.length ? `, ${flaky.length} flaky` : ''}\n`)
  }
}
