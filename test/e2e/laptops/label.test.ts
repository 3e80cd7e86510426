import {execFileSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'

/** The QR codes zbarimg finds in a PDF's first page, rendered by pdftoppm at 300 dpi. */
function decodeQr(pdf: string, dir: string, page = 1): string[] {
  const prefix = join(dir, `page-${page}`)
  execFileSync('pdftoppm', ['-r', '300', '-png', '-f', String(page), '-l', String(page), '-singlefile', pdf, prefix])
  const out = execFileSync('zbarimg', ['-q', '--raw', `${prefix}.png`], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
  return out.trim().split('\n').sort()
}

/** A local "printer" on 127.0.0.1: collects what each connection sends. */
async function fakePrinter(): Promise<{server: Server; port: number; received: Promise<string>}> {
  let deliver: (s: string) => void = () => undefined
  const received = new Promise<string>((r) => (deliver = r))
  const server = createServer((sock) => {
    let data = ''
    sock.on('data', (d) => (data += d))
    sock.on('end', () => {
      sock.end()
      deliver(data)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {server, port: (server.address() as {port: number}).port, received}
}

// Given generated laptops (one with an asset tag, one without), when `laptops label` runs as a
// process, then the PDF's QR codes decode (zbarimg) to the asset tag (the serial without one),
// ZPL reaches a real TCP listener with a ^BQ field holding that data, and a closed port is
// PRINTER_UNREACHABLE within the timeout.
describe('laptops label (binary)', {timeout: 120_000}, () => {
  const dir = tempDir('alpi-e2e-label-')
  const db = join(dir.path, 'alpi.sqlite')
  const env = {ALPI_NOW: '2026-11-28T09:00:00Z'}
  beforeAll(async () => {
    const csv = join(dir.path, 'lot.csv')
    writeFileSync(
      csv,
      'serial;asset_tag;maker;model\nPF1LBL01;ALPI-00042;Lenovo;ThinkPad L380\nPF1LBL02;;Dell;Latitude 3190\nPF1LBL03;ALPI-00044;Dell;Latitude 3190\n',
    )
    expect((await runAlpi(['laptops', 'import', csv, '--db', db], {env})).code).toBe(0)
  })
  afterAll(() => dir.cleanup())

  it('writes a single label whose QR code decodes to the asset tag', async () => {
    const out = join(dir.path, 'one.pdf')
    const r = await runAlpi(['laptops', 'label', 'PF1LBL01', '--db', db, '--out', out], {env})
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`1 label(s) written to ${out}\n`)
    expect(r.stderr).toBe('')
    expect(decodeQr(out, dir.path)).toEqual(['ALPI-00042'])
    // the DejaVu TrueType font is embedded (no standard Helvetica)
    expect(execFileSync('pdffonts', [out], {encoding: 'utf8'})).toMatch(/DejaVuSans-Bold/)
  })

  it('lays out an A4 sheet of label stock; the QR falls back to the serial; a URL template from the config', async () => {
    const out = join(dir.path, 'sheet.pdf')
    const r = await runAlpi(
      ['laptops', 'label', 'PF1LBL01', 'PF1LBL02', 'PF1LBL03', '--sheet', 'avery-l7160', '--db', db, '--out', out, '--json'],
      {env},
    )
    expect(r.code).toBe(0)
    expect(r.json().result).toMatchObject({
      format: 'pdf',
      file: out,
      labels: [{serial: 'PF1LBL01', qr: 'ALPI-00042'}, {serial: 'PF1LBL02', assetTag: null, qr: 'PF1LBL02'}, {qr: 'ALPI-00044'}],
    })
    expect(execFileSync('pdfinfo', [out], {encoding: 'utf8'})).toMatch(/Pages:\s+1\n[\s\S]*Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)/)
    expect(decodeQr(out, dir.path)).toEqual(['ALPI-00042', 'ALPI-00044', 'PF1LBL02'])

    const config = join(dir.path, 'config.json')
    writeFileSync(
      config,
      JSON.stringify({laptops: {labels: {qrUrl: 'https://parc.alpi40.fr/hardware/bytag/{tag}?sn={serial}', widthMm: 50, heightMm: 25}}}),
    )
    const url = join(dir.path, 'url.pdf')
    expect((await runAlpi(['laptops', 'label', 'PF1LBL01', '--db', db, '--out', url], {env: {...env, ALPI_CONFIG: config}})).code).toBe(0)
    expect(decodeQr(url, dir.path)).toEqual(['https://parc.alpi40.fr/hardware/bytag/ALPI-00042?sn=PF1LBL01'])
    expect(execFileSync('pdfinfo', [url], {encoding: 'utf8'})).toMatch(/Page size:\s+141\.7\d* x 70\.8\d* pts/)
  })

  it('sends ZPL with a ^BQ QR field to a printer on raw TCP', async () => {
    const p = await fakePrinter()
    try {
      const r = await runAlpi(['laptops', 'label', 'PF1LBL01', 'PF1LBL02', '--zpl', '--printer', `127.0.0.1:${p.port}`, '--db', db], {env})
      expect(r.code).toBe(0)
      expect(r.stdout).toBe(`2 label(s) sent to printer 127.0.0.1:${p.port}\n`)
      const zpl = await p.received
      expect(zpl.match(/\^XA/g)).toHaveLength(2)
      expect(zpl).toMatch(/\^BQN,2,\d+\^FH\^FDMA,ALPI-00042\^FS/)
      expect(zpl).toMatch(/\^BQN,2,\d+\^FH\^FDMA,PF1LBL02\^FS/)
      expect(zpl).toContain('^FDN° série PF1LBL01^FS')
    } finally {
      p.server.close()
    }
  })

  it('writes ZPL to a file with --out, escaping ^ and ~ in the data', async () => {
    const config = join(dir.path, 'caret.json')
    writeFileSync(config, JSON.stringify({laptops: {labels: {qrUrl: 'x^{tag}~'}}}))
    const out = join(dir.path, 'labels.zpl')
    const r = await runAlpi(['laptops', 'label', 'PF1LBL03', '--zpl', '--out', out, '--db', db], {env: {...env, ALPI_CONFIG: config}})
    expect(r.code).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain('^FDMA,x_5eALPI-00044_7e^FS')
  })

  it('a closed port is PRINTER_UNREACHABLE with an action, at once; a silent printer within the timeout', async () => {
    // a port just freed: nothing listens there
    const p = await fakePrinter()
    await new Promise((r) => p.server.close(r))
    const t0 = Date.now()
    const r = await runAlpi(['laptops', 'label', 'PF1LBL01', '--zpl', '--printer', `127.0.0.1:${p.port}`, '--db', db, '--json'], {env})
    expect(r.code).toBe(1)
    const j = r.json()
    expect(j).toMatchObject({code: 'PRINTER_UNREACHABLE', data: {printer: `127.0.0.1:${p.port}`}})
    expect(j.message).toMatch(/ECONNREFUSED/)
    expect(j.actions[0]).toMatch(/printer .* is on/)
    expect(Date.now() - t0).toBeLessThan(10_000)

    // a printer that accepts the connection and never closes it: the timeout ends the wait
    const silent = createServer(() => undefined)
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res))
    try {
      const config = join(dir.path, 'timeout.json')
      writeFileSync(config, JSON.stringify({laptops: {labels: {timeoutMs: 1500}}}))
      const port = (silent.address() as {port: number}).port
      const t1 = Date.now()
      const s = await runAlpi(['laptops', 'label', 'PF1LBL01', '--zpl', '--printer', `127.0.0.1:${port}`, '--db', db, '--lang', 'fr'], {
        env: {...env, ALPI_CONFIG: config},
      })
      expect(s.code).toBe(1)
      expect(s.stdout).toBe('')
      expect(s.stderr).toContain(
        `[PRINTER_UNREACHABLE]: L'imprimante d'étiquettes 127.0.0.1:${port} ne répond pas (pas de réponse en 1500 ms)`,
      )
      expect(Date.now() - t1).toBeLessThan(8_000)
    } finally {
      silent.close()
    }
  })

  it('keeps the order of the serials given, repeats included (a sheet is cut and stuck in that order)', async () => {
    const r = await runAlpi(
      [
        'laptops',
        'label',
        'PF1LBL03',
        'PF1LBL01',
        'PF1LBL03',
        'PF1LBL02',
        '--sheet',
        'avery-l7163',
        '--db',
        db,
        '--out',
        join(dir.path, 'order.pdf'),
        '--json',
      ],
      {env},
    )
    expect(r.json().result.labels.map((l: {serial: string}) => l.serial)).toEqual(['PF1LBL03', 'PF1LBL01', 'PF1LBL03', 'PF1LBL02'])
  })

  it('refuses an unknown serial and a ZPL run with no printer', async () => {
    const u = await runAlpi(['laptops', 'label', 'NOPE0001', '--db', db, '--out', join(dir.path, 'x.pdf'), '--json'], {env})
    expect(u.code).toBe(1)
    expect(u.json().code).toBe('NOT_FOUND')
    const n = await runAlpi(['laptops', 'label', 'PF1LBL01', '--zpl', '--db', db], {env})
    expect(n.code).toBe(2)
    expect(n.stderr).toMatch(/No label printer configured/)
  })
})
