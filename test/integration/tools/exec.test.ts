import {describe, expect, it} from 'vitest'
import {runTool, spawnTool} from '../../../src/tools/exec.js'

// The one wrapper for local tools, against real programs (sh, zstd).
describe('local tools', () => {
  it('runs an argument array with no shell: metacharacters stay literal', async () => {
    const r = await runTool('printf', ['%s', `a'; touch /tmp/alpi-pwned-$$ #`])
    expect(r.stdout).toBe(`a'; touch /tmp/alpi-pwned-$$ #`)
  })

  it('names the package of a missing tool', async () => {
    await expect(runTool('alpi-no-such-tool', [], {pkg: 'alpi-tools'})).rejects.toMatchObject({
      code: 'TOOL_MISSING',
      message: expect.stringContaining('install package alpi-tools'),
    })
    const s = await spawnTool('alpi-no-such-tool', [], {pkg: 'alpi-tools'})
    await expect(s.done).rejects.toMatchObject({code: 'TOOL_MISSING'})
  })

  it('turns a failure or a timeout into ExternalToolError, without passwords in URLs', async () => {
    await expect(runTool('sh', ['-c', 'echo bad >&2; exit 3', 'postgres://u:secret@h/db'])).rejects.toMatchObject({
      code: 'TOOL_FAILED',
      message: expect.stringContaining('bad'),
    })
    const err = await runTool('sh', ['-c', 'exit 1', 'postgres://u:secret@h/db']).catch((e) => e)
    expect(JSON.stringify(err.data)).not.toContain('secret')
    await expect(runTool('sleep', ['5'], {timeoutMs: 200})).rejects.toMatchObject({code: 'TOOL_TIMEOUT'})
  })

  it('streams a tool through stdin and stdout (zstd round trip)', async () => {
    const payload = Buffer.alloc(300_000, 'alpi ')
    const z = await spawnTool('zstd', ['-q', '-c'], {pkg: 'zstd', stdin: 'pipe'})
    z.stdin!.end(payload)
    const chunks: Buffer[] = []
    for await (const c of z.stdout) chunks.push(c as Buffer)
    await z.done
    const back = await runTool('zstd', ['-dc'], {input: Buffer.concat(chunks), binary: true})
    expect(back.stdoutBuffer!.equals(payload)).toBe(true)
    const broken = await spawnTool('zstd', ['-dc'], {stdin: 'pipe', failureHint: 'Check the image file.'})
    broken.stdin!.end(Buffer.from('not zstd'))
    for await (const _ of broken.stdout) void _
    await expect(broken.done).rejects.toMatchObject({code: 'TOOL_FAILED', actions: ['Check the image file.']})
  })
})
