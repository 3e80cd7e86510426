import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {labelsFor, labelZpl, parsePrinter} from '../../../src/laptops/labels.js'
import {DIALECTS, storeFor, testContext} from '../../helpers/context.js'
import {seedLaptops} from './seed.js'

// Given laptops on a real SQLite file and a real PostgreSQL database, when their labels are
// built, then each carries the asset tag (or the serial), the grade and the image, in the order
// asked, and an unknown serial is refused before anything is drawn.
describe.each(DIALECTS)('labels on %s', (dialect) => {
  let env: Awaited<ReturnType<typeof storeFor>>
  beforeAll(async () => {
    env = await storeFor(dialect)
  })
  afterAll(() => env.cleanup())

  it('builds labels in the order given, with the QR data from the config template', async () => {
    const ctx = testContext(env.store, {config: {laptops: {labels: {qrUrl: 'https://parc/{tag}'}}}})
    const [a, b] = await seedLaptops(ctx, 2, 'ready', {prefix: 'LB', grade: 'A'})
    await env.store.db.updateTable('laptops').set({asset_tag: 'ALPI-7', image_name: 'mint-22'}).where('serial', '=', a!).execute()
    const labels = await labelsFor(ctx, [b!, a!])
    expect(labels).toEqual([
      {serial: b, assetTag: null, grade: 'A', image: null, qr: `https://parc/${b}`},
      {serial: a, assetTag: 'ALPI-7', grade: 'A', image: 'mint-22', qr: 'https://parc/ALPI-7'},
    ])
    await expect(labelsFor(ctx, [a!, 'NOPE'])).rejects.toMatchObject({code: 'NOT_FOUND'})
    await expect(labelsFor(ctx, [])).rejects.toMatchObject({code: 'USAGE'})
    const zpl = labelZpl(labels[1]!, {widthMm: 62, heightMm: 29, dpi: 203})
    expect(zpl).toMatch(/^\^XA\n\^CI28\n\^PW496\n\^LL232\n/)
    expect(zpl).toContain('^FDMA,https://parc/ALPI-7^FS')
  })
})

describe('printer address', () => {
  it('defaults to port 9100 and refuses what is not host[:port]', () => {
    expect(parsePrinter('zebra.atelier')).toEqual({host: 'zebra.atelier', port: 9100})
    expect(parsePrinter('10.0.0.5:6101')).toEqual({host: '10.0.0.5', port: 6101})
    expect(parsePrinter('[::1]:9100')).toEqual({host: '::1', port: 9100})
    expect(() => parsePrinter('a:b:c')).toThrow(/host:port/)
    expect(() => parsePrinter('h:70000')).toThrow(/host:port/)
  })
})
