import {execFileSync} from 'node:child_process'
import {chmodSync, mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ExternalToolError} from '../../src/core/errors.js'
import {runTool, spawnTool} from '../../src/tools/exec.js'
import {addImage} from '../../src/laptops/images.js'
import {openStore} from '../../src/store/db.js'
import {runAlpi, type CliRun} from '../helpers/cli.js'
import {tempDir, testContext} from '../helpers/context.js'
import {createLoop, loopSerialsEnv, type LoopDevice} from '../helpers/loopdev.js'
import {laptopWipedOn} from '../integration/laptops/flow.js'

/**
 * Issue 10 item 18: an external tool that is missing, exits non-zero, is killed or cannot
 * start is a typed error (ExternalToolError, exit 1) naming the tool, its exit code and the
 * last lines of its stderr, with an action; never a Node stack trace. Real tools, a real
 * loop device as the laptop's disk, PATH manipulation for the missing and failing tools.
 */

function expectToolError(r: CliRun, code: string, tool: string): any {
  expect(r.code, r.stderr).toBe(1)
  const e = r.json()
  expect(e).toMatchObject({status: 1, name: 'ExternalToolError', code})
  expect(e.data.tool).toBe(tool)
  expect(e.actions.length).toBeGreaterThan(0)
  return e
}

function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/)
  expect(stderr).not.toContain('[BUG]')
}

describe('external tool failures are typed errors, not crashes', {timeout: 120_000}, () => {
  const dir = tempDir('alpi-rel-tools-')
  const db = join(dir.path, 'alpi.sqlite')
  let loop: LoopDevice
  let env: Record<string, string>
  const bin = join(dir.path, 'bin')

  beforeAll(async () => {
    loop = await createLoop({sizeBytes: 4 << 20, fill: 'random'})
    const serials = loopSerialsEnv([[loop, 'DISK-TOOLS-1']])
    process.env.ALPI_TEST_DEVICE_SERIALS = serials
    const store = await openStore({url: db})
    const ctx = testContext(store)
    await laptopWipedOn(ctx, 'TOOLS-1', loop, dir.path)
    writeFileSync(join(dir.path, 'golden.img'), Buffer.alloc(1 << 20, 3))
    await addImage(ctx, {name: 'golden', file: join(dir.path, 'golden.img')})
    execFileSync('zstd', ['-q', join(dir.path, 'golden.img'), '-o', join(dir.path, 'golden.img.zst')])
    await addImage(ctx, {name: 'golden-zst', file: join(dir.path, 'golden.img.zst')})
    await store.close()
    env = {ALPI_DB: db, ALPI_TEST_DEVICE_SERIALS: serials}
    // A PATH where udp-receiver exits 3 after a diagnostic, with the real system tools after it.
    mkdirSync(bin)
    writeFileSync(
      join(bin, 'udp-receiver'),
      '#!/bin/sh\necho "udp-receiver: starting" >&2\necho "Could not open socket: Operation not permitted" >&2\nexit 3\n',
    )
    chmodSync(join(bin, 'udp-receiver'), 0o755)
  })
  afterAll(async () => {
    delete process.env.ALPI_TEST_DEVICE_SERIALS
    await loop?.cleanup()
    dir.cleanup()
  })

  it.each(['golden', 'golden-zst'])(
    'Given no such interface, When multicast receive of %s runs the real udp-receiver, Then exit 1 with TOOL_FAILED naming the tool and the interface action',
    async (image) => {
      const r = await runAlpi(
        [
          'laptops',
          'multicast',
          'receive',
          '--image',
          image,
          '--device',
          loop.device,
          '--interface',
          'nosuch0',
          '--start-timeout',
          '5',
          '--json',
        ],
        {env},
      )
      const e = expectToolError(r, 'TOOL_FAILED', 'udp-receiver')
      expect(typeof e.data.exitCode === 'number' || typeof e.data.signal === 'string').toBe(true)
      expect(e.data.stderr).toMatch(/nosuch0|interface|No such device/i)
      expect(e.actions.join(' ')).toMatch(/interface/i)
      expectNoStack(r.stderr)
      const human = await runAlpi(
        ['laptops', 'multicast', 'receive', '--image', image, '--device', loop.device, '--interface', 'nosuch0', '--start-timeout', '5'],
        {env},
      )
      expect(human.code).toBe(1)
      expect(human.stdout).toBe('')
      expect(human.stderr).toMatch(/Error \[TOOL_FAILED\]: udp-receiver/)
      expectNoStack(human.stderr)
    },
  )

  it('Given no such interface, When multicast send runs the real udp-sender, Then exit 1 with TOOL_FAILED and the interface action', async () => {
    const r = await runAlpi(
      ['laptops', 'multicast', 'send', '--image', 'golden', '--interface', 'nosuch0', '--min-receivers', '1', '--max-wait', '2', '--json'],
      {env},
    )
    const e = expectToolError(r, 'TOOL_FAILED', 'udp-sender')
    expect(e.actions.join(' ')).toMatch(/ip -br link/)
    expectNoStack(r.stderr)
  })

  it('Given udp-receiver missing from PATH, Then exit 1 with TOOL_MISSING naming the package to install', async () => {
    const empty = join(dir.path, 'empty-bin')
    mkdirSync(empty, {recursive: true})
    // node itself is run by absolute path; the PATH holds only the lsblk the command needs first.
    symlinkSync('/usr/bin/lsblk', join(empty, 'lsblk'))
    const r = await runAlpi(
      [
        'laptops',
        'multicast',
        'receive',
        '--image',
        'golden',
        '--device',
        loop.device,
        '--interface',
        'lo',
        '--start-timeout',
        '5',
        '--json',
      ],
      {env: {...env, PATH: empty}},
    )
    const e = expectToolError(r, 'TOOL_MISSING', 'udp-receiver')
    expect(e.message).toMatch(/udpcast/)
    expect(e.actions.join(' ')).toMatch(/apt-get install udpcast/)
    expectNoStack(r.stderr)
  })

  it('Given a udp-receiver that exits 3, Then exit 1 with its exit code and its last stderr lines', async () => {
    const r = await runAlpi(
      [
        'laptops',
        'multicast',
        'receive',
        '--image',
        'golden',
        '--device',
        loop.device,
        '--interface',
        'lo',
        '--start-timeout',
        '5',
        '--json',
      ],
      {env: {...env, PATH: `${bin}:${process.env.PATH}`}},
    )
    const e = expectToolError(r, 'TOOL_FAILED', 'udp-receiver')
    expect(e.data.exitCode).toBe(3)
    expect(e.message).toContain('Could not open socket')
    expect(e.data.stderr).toContain('Could not open socket')
    expectNoStack(r.stderr)
  })

  describe('runTool and spawnTool themselves', () => {
    it('a missing tool, a non-zero exit, a kill, a spawn error, a timeout: each an ExternalToolError with tool, exit code and stderr tail', async () => {
      const missing = await runTool('alpi-no-such-tool', [], {pkg: 'alpi-none'}).catch((e: unknown) => e)
      expect(missing).toBeInstanceOf(ExternalToolError)
      expect(missing).toMatchObject({code: 'TOOL_MISSING', data: {tool: 'alpi-no-such-tool'}})

      const failed = await runTool('sh', ['-c', 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "line $i" >&2; done; exit 7']).catch(
        (e: unknown) => e,
      )
      expect(failed).toMatchObject({code: 'TOOL_FAILED', data: {tool: 'sh', exitCode: 7}})
      const tail = (failed as ExternalToolError & {data: {stderr: string}}).data.stderr
      expect(tail).toContain('line 12')
      expect(tail).not.toContain('line 1\n') // only the last lines
      expect((failed as Error).message).toContain('line 12')
      expect((failed as ExternalToolError).actions.length).toBeGreaterThan(0)

      const killed = await runTool('sh', ['-c', 'kill -9 $$']).catch((e: unknown) => e)
      expect(killed).toMatchObject({code: 'TOOL_KILLED', data: {tool: 'sh', signal: 'SIGKILL'}})

      const notExecutable = join(dir.path, 'not-executable')
      writeFileSync(notExecutable, 'x')
      const spawnError = await runTool(notExecutable, []).catch((e: unknown) => e)
      expect(spawnError).toBeInstanceOf(ExternalToolError)
      expect(spawnError).toMatchObject({code: 'TOOL_START_FAILED'})

      const timedOut = await runTool('sleep', ['5'], {timeoutMs: 200}).catch((e: unknown) => e)
      expect(timedOut).toMatchObject({code: 'TOOL_TIMEOUT', data: {tool: 'sleep'}})

      const sp = await spawnTool('sh', ['-c', 'echo boom >&2; exit 4'])
      sp.stdout.resume()
      const spawned = await sp.done.catch((e: unknown) => e)
      expect(spawned).toMatchObject({code: 'TOOL_FAILED', data: {tool: 'sh', exitCode: 4}})
      expect((spawned as Error).message).toContain('boom')

      const sk = await spawnTool('sh', ['-c', 'kill -TERM $$'])
      sk.stdout.resume()
      expect(await sk.done.catch((e: unknown) => e)).toMatchObject({code: 'TOOL_KILLED', data: {signal: 'SIGTERM'}})

      const sm = await spawnTool('alpi-no-such-tool', [], {pkg: 'alpi-none'})
      sm.stdout.resume()
      expect(await sm.done.catch((e: unknown) => e)).toMatchObject({code: 'TOOL_MISSING'})
    })

    it('the stderr tail keeps no e-mail address, phone number or URL password', async () => {
      const failed = await runTool('sh', [
        '-c',
        'echo "cannot mail jeanne.dupont@example.org at 06 12 34 56 78 via postgres://u:s3cret@db/x" >&2; exit 1',
      ]).catch((e: unknown) => e)
      const text = JSON.stringify((failed as ExternalToolError).data) + (failed as Error).message
      expect(text).not.toContain('jeanne.dupont@example.org')
      expect(text).not.toContain('06 12 34 56 78')
      expect(text).not.toContain('s3cret')
    })
  })
})
