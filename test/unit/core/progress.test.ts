import {afterEach, describe, expect, it} from 'vitest'
import {setLanguage} from '../../../src/core/i18n.js'
import {createOutput, memoryOutput} from '../../../src/core/output.js'
import {humanBytes, progress} from '../../../src/core/progress.js'

describe('progress on stderr', () => {
  afterEach(() => setLanguage(undefined))

  it('without a terminal: a plain line at most once per interval, and always the last one', () => {
    const out = memoryOutput()
    let t = 0
    const tick = progress(out, {label: 'wipe /dev/loop3', total: 4096, now: () => t})
    tick(0)
    t = 500
    tick(1024) // within the interval: skipped
    t = 1000
    tick(2048)
    t = 1100
    tick(4096) // the end is always shown, once
    tick(4096)
    expect(out.lines).toEqual([
      'wipe /dev/loop3: 0 / 4096 bytes (0%)',
      'wipe /dev/loop3: 2048 / 4096 bytes (50%)',
      'wipe /dev/loop3: 4096 / 4096 bytes (100%)',
    ])
    const items = memoryOutput()
    const count = progress(items, {label: 'receipts', total: 3, unit: 'items', now: () => 0})
    count(1)
    count(2)
    count(3)
    expect(items.lines).toEqual(['receipts: 1 / 3', 'receipts: 3 / 3'])
  })

  it('on a terminal: one line redrawn in place with a bar, amounts and rate, ended by a newline', () => {
    const writes: string[] = []
    const stream = {isTTY: true, write: (s: string) => void writes.push(s)} as unknown as NodeJS.WritableStream & {isTTY: boolean}
    const out = createOutput({stream, env: {FORCE_COLOR: '1'}})
    expect(out.interactiveDisplay).toBe(true)
    let t = 0
    const tick = progress(out, {label: 'wipe 2 disk(s)', total: 2 * 1024 ** 3, now: () => t})
    t = 2000
    tick(1024 ** 3)
    // a message while the bar is drawn goes above it, and the bar is drawn again below
    out.info('/dev/loop3 ALPI-0001: wiped and verified (Clear)')
    t = 4000
    tick(2 * 1024 ** 3)
    const bar50 = 'wipe 2 disk(s) [############............]  50%  1.0 GiB / 2.0 GiB  512.0 MiB/s'
    expect(writes).toEqual([
      `\r\u001B[2K${bar50}`,
      `\r\u001B[2K/dev/loop3 ALPI-0001: wiped and verified (Clear)\n${bar50}`,
      '\r\u001B[2Kwipe 2 disk(s) [########################] 100%  2.0 GiB / 2.0 GiB  512.0 MiB/s',
      '\n',
    ])
    // after the bar ended, messages are plain lines again
    out.info('done')
    expect(writes.at(-1)).toBe('done\n')
  })

  it('human sizes in English and French', () => {
    expect([humanBytes(512), humanBytes(1536), humanBytes(5 * 1024 ** 3)]).toEqual(['512 B', '1.5 KiB', '5.0 GiB'])
    setLanguage('fr')
    expect([humanBytes(512), humanBytes(1536), humanBytes(5 * 1024 ** 3)]).toEqual(['512 o', '1,5 Kio', '5,0 Gio'])
  })
})
