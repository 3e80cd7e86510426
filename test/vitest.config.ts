import {defineConfig} from 'vitest/config'

// Tests run against real parts (SQLite files, PostgreSQL, sshd in network namespaces,
// loop devices). Two cores: keep file parallelism modest and timeouts generous.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    // One retry: a test that fails twice fails the run; one that passes on its retry is named
    // FLAKY in the closing summary (test/helpers/summary-reporter.ts) and by .ci/run.
    retry: 1,
    hookTimeout: 120_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
})
