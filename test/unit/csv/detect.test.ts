import {describe, expect, it} from 'vitest'
import iconv from 'iconv-lite'
import {detectDelimiter, detectEncoding, isValidUtf8, unescapeAsCp1252, Utf8Escaper} from '../../../src/csv/detect.js'

describe('detectEncoding', () => {
  it('takes ASCII and valid UTF-8 (with or without BOM) as utf-8', () => {
    expect(detectEncoding(Buffer.from('nom;prenom\nDupont;Jean\n'))).toBe('utf-8')
    expect(detectEncoding(Buffer.from('nom;prénom\nCœur;Zoé € ’\n'))).toBe('utf-8')
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('é')]))).toBe('utf-8')
  })

  it('takes bytes 0x80-0x9F (€ ’ œ Œ in Windows-1252) as windows-1252', () => {
    for (const ch of ['€', '’', 'œ', 'Œ', 'é']) {
      const bytes = iconv.encode(`nom;note\nA;${ch}\n`, 'windows-1252')
      expect(detectEncoding(bytes), ch).toBe('windows-1252')
    }
    expect(iconv.encode('€’œŒ', 'windows-1252')).toEqual(Buffer.from([0x80, 0x92, 0x9c, 0x8c]))
  })

  it('does not fail on a multi-byte character cut at the end of a partial sample', () => {
    const bytes = Buffer.from('abc é')
    const cut = bytes.subarray(0, bytes.length - 1)
    expect(isValidUtf8(cut, false)).toBe(true)
    expect(isValidUtf8(cut, true)).toBe(false)
  })
})

describe('detectDelimiter', () => {
  it.each([
    ['a;b;c\n1;2;3\n', ';'],
    ['a,b,c\n1,2,3\n', ','],
    ['a\tb\tc\n1\t2\t3\n', '\t'],
    // Decimal commas inside a ';' file do not fool it.
    ['nom;prix;poids\nA;1,5;2,25\nB;3,5;1,1\n', ';'],
    // Delimiters inside quotes are not counted.
    ['"a;b;c;d",e\n"x;y;z;w",f\n', ','],
    // A quoted newline does not start a new line.
    ['a;b\n"x\ny,z,w";2\n', ';'],
    // A single column: nothing to split.
    ['serial\nA1\nA2\n', ','],
    // CRLF
    ['a;b\r\n1;2\r\n', ';'],
  ])('%j → %j', (text, expected) => {
    expect(detectDelimiter(text)).toBe(expected)
  })

  it('prefers the delimiter with a consistent count over the lines', () => {
    // Header has 1 comma and 2 semicolons; data lines have 2 semicolons each.
    expect(detectDelimiter('nom;adresse, ville;cp\nA;1 rue;40000\nB;2 rue;40100\n')).toBe(';')
  })
})

describe('Utf8Escaper (bytes that are not UTF-8 kept through the parser)', () => {
  const escapeAll = (chunks: Buffer[]) => {
    const e = new Utf8Escaper()
    const out = Buffer.concat([...chunks.map((c) => e.write(c)), e.write(Buffer.alloc(0), true)]).toString('utf8')
    return {out, multibyte: e.multibyte, invalid: e.invalid}
  }

  it('passes valid UTF-8 through (a BOM dropped) and counts its non-ASCII characters', () => {
    const r = escapeAll([Buffer.from('\ufeffnom;prénom\nCœur;Zoé € ’ 😀\n')])
    expect(r).toEqual({out: 'nom;prénom\nCœur;Zoé € ’ 😀\n', multibyte: 6, invalid: 0})
  })

  it('escapes each invalid byte, so that a Windows-1252 row reads back right', () => {
    const bytes = Buffer.concat([Buffer.from('Hélène;'), iconv.encode('Bébé cœur 5 €', 'windows-1252')])
    const r = escapeAll([bytes])
    expect(r.invalid).toBe(4)
    expect(r.multibyte).toBe(2)
    expect(unescapeAsCp1252(r.out)).toBe('Hélène;Bébé cœur 5 €')
  })

  it('gives the same output whatever the chunk boundaries (sequences cut between chunks)', () => {
    let seed = 7
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    for (let k = 0; k < 200; k++) {
      const parts = Array.from({length: 40}, () =>
        rnd() < 0.5 ? Buffer.from(['é', '€', '😀', 'a', ';', '\n'][Math.floor(rnd() * 6)]!) : Buffer.from([Math.floor(rnd() * 256)]),
      )
      const bytes = Buffer.concat(parts)
      const whole = escapeAll([bytes])
      const cuts: Buffer[] = []
      for (let i = 0; i < bytes.length;) {
        const n = 1 + Math.floor(rnd() * 4)
        cuts.push(bytes.subarray(i, i + n))
        i += n
      }
      expect(escapeAll(cuts)).toEqual(whole)
      // where the input is valid UTF-8, the output is the same text
      if (isValidUtf8(bytes)) expect(whole.out).toBe(bytes.toString('utf8').replace(/^\ufeff/, ''))
    }
  })
})
