import {createHash, randomBytes} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openStore, type Store} from '../../../src/store/db.js'
import {addImage} from '../../../src/laptops/images.js'
import {getLaptop} from '../../../src/laptops/records.js'
import {REPO_ROOT, tempDir, testContext} from '../../helpers/context.js'
import {createLoop, loopSerialsEnv, type LoopDevice} from '../../helpers/loopdev.js'
import {createLab, type Lab} from '../../helpers/netns.js'
import {laptopWipedOn} from './flow.js'

/**
 * One sender and three receivers, each a real `alpi` process in its own network namespace on
 * a bridge, with the real udpcast; each receiver writes a loop device (standing for the
 * laptop's disk), reads it back, checks the hash and records its laptop in the shared store.
 */
function alpiIn(
  lab: Lab,
  host: string,
  args: string[],
  env: Record<string, string>,
): Promise<{code: number | null; stdout: string; stderr: string}> {
  const bin = [join(REPO_ROOT, 'bin/run.js')]
  return new Promise((resolve) => {
    const child = lab.spawn(host, ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, ...bin, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d) => (stdout += d))
    child.stderr!.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({code, stdout, stderr}))
  })
}

describe('laptops multicast: one sender, three receivers across namespaces', {timeout: 300_000}, () => {
  let lab: Lab
  let store: Store
  const loops: LoopDevice[] = []
  const dir = tempDir('alpi-mcast-')
  const db = join(dir.path, 'alpi.sqlite')
  let raw: Buffer
  beforeAll(async () => {
    lab = await createLab({hosts: ['srv', 'pc1', 'pc2', 'pc3']})
    store = await openStore({url: db})
    for (let i = 0; i < 3; i++) loops.push(await createLoop({sizeBytes: 12 << 20, fill: 'random'}))
    process.env.ALPI_TEST_DEVICE_SERIALS = loopSerialsEnv(loops.map((l, i) => [l, `DISK-MC-${i + 1}`]))
    const ctx = testContext(store)
    for (let i = 0; i < 3; i++) await laptopWipedOn(ctx, `MC-${i + 1}`, loops[i]!, dir.path)
    raw = Buffer.concat([Buffer.alloc(2 << 20, 7), randomBytes((6 << 20) + 999)])
    writeFileSync(join(dir.path, 'golden.img'), raw)
    const {execFileSync} = await import('node:child_process')
    execFileSync('zstd', ['-q', join(dir.path, 'golden.img'), '-o', join(dir.path, 'golden.img.zst')])
    await addImage(ctx, {name: 'golden', file: join(dir.path, 'golden.img.zst')})
    await store.close()
  })
  afterAll(async () => {
    delete process.env.ALPI_TEST_DEVICE_SERIALS
    await lab?.cleanup()
    for (const l of loops) await l.cleanup()
    dir.cleanup()
  })

  it('every receiver gets the image, its read-back hash matches, and its laptop is recorded', async () => {
    const env = {
      ALPI_DB: db,
      ALPI_CONFIG: join(dir.path, 'none.json'),
      ALPI_TEST_DEVICE_SERIALS: process.env.ALPI_TEST_DEVICE_SERIALS!,
      NO_COLOR: '1',
      ALPI_TECHNICIAN: 'tech-mc',
    }
    const receivers = [1, 2, 3].map((i) =>
      alpiIn(
        lab,
        `pc${i}`,
        [
          'laptops',
          'multicast',
          'receive',
          '--image',
          'golden',
          '--device',
          loops[i - 1]!.device,
          '--interface',
          'eth0',
          '--start-timeout',
          '120',
          '--json',
        ],
        env,
      ),
    )
    const sender = alpiIn(
      lab,
      'srv',
      ['laptops', 'multicast', 'send', '--image', 'golden', '--interface', 'eth0', '--min-receivers', '3', '--max-wait', '120', '--json'],
      env,
    )
    const [s, ...rs] = await Promise.all([sender, ...receivers])
    expect(s.code, s.stderr).toBe(0)
    expect(JSON.parse(s.stdout).result).toMatchObject({image: 'golden', minReceivers: 3})
    const sha = createHash('sha256').update(raw).digest('hex')
    for (const [i, r] of rs.entries()) {
      expect(r.code, r.stderr).toBe(0)
      const res = JSON.parse(r.stdout).result
      expect(res.devices).toEqual([
        expect.objectContaining({laptop: `MC-${i + 1}`, status: 'ok', bytesWritten: raw.length, readBackSha256: sha, state: 'ready'}),
      ])
      expect(createHash('sha256').update(readFileSync(loops[i]!.file).subarray(0, raw.length)).digest('hex')).toBe(sha)
    }
    const check = await openStore({url: db})
    try {
      for (let i = 1; i <= 3; i++) expect((await getLaptop(check.db, `MC-${i}`)).image_sha256).toBe(sha)
      const audit = await check.db.selectFrom('audit_log').select(['action', 'actor']).where('action', '=', 'multicast-receive').execute()
      expect(audit).toEqual([1, 2, 3].map(() => ({action: 'multicast-receive', actor: 'tech-mc'})))
    } finally {
      await check.close()
    }
  })
})
