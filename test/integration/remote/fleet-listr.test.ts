import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {memoryOutput} from '../../../src/core/output.js'
import {runFleet} from '../../../src/remote/fleet.js'
import {RemoteHostError} from '../../../src/core/errors.js'
import type {Store} from '../../../src/store/db.js'
import {sqliteStore, testContext} from '../../helpers/context.js'

// The terminal display (listr2) path: it renders on stderr, never on stdout, and gives the
// same report as the plain path.
describe('runFleet with the listr2 display', () => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    const s = await sqliteStore()
    store = s.store
    cleanup = s.cleanup
  })
  afterAll(async () => cleanup?.())

  it('renders to stderr only and reports ok/failed like the plain display', async () => {
    const out = {...memoryOutput(), interactiveDisplay: true}
    const ctx = testContext(store, {out: out as never})
    const stdout = vi.spyOn(process.stdout, 'write')
    const stderrChunks: string[] = []
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderrChunks.push(String(chunk))
      return true
    })
    try {
      const report = await runFleet(ctx, {
        job: 'listr-job',
        title: 'push config',
        targets: [{id: 'a', title: 'box A'}, {id: 'b', title: 'box B'}, {id: 'c'}],
        retries: 1,
        backoffMs: 1,
        task: async (t, {log}) => {
          log(`working on ${t.id}`)
          if (t.id === 'b') throw new RemoteHostError('gone', {code: 'REMOTE_DISCONNECTED'})
          return t.id
        },
      })
      expect(report).toMatchObject({ok: 2, failed: 1, skipped: 0})
      expect(report.results[1]).toMatchObject({target: 'b', status: 'failed', attempts: 2})
    } finally {
      stdout.mockRestore()
      stderr.mockRestore()
    }
    const written = stdout.mock.calls.map((c) => String(c[0])).join('')
    expect(written).toBe('')
    const rendered = stderrChunks.join('')
    // (stderr is not a terminal under the test runner: the renderer writes its final state)
    expect(rendered).toContain('box B')
    expect(rendered).toContain('REMOTE_DISCONNECTED')
    expect(out.lines).toEqual([]) // no plain lines when the display is interactive
  })
})
