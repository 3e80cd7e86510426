import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {
  ensureDir,
  openFileAtomic,
  OutputError,
  pathPartProblem,
  removeStaleTemporaries,
  safeJoin,
  UnsafePathError,
  writeFileAtomic,
} from '../../../src/core/fs.js'
import {writeCsv} from '../../../src/csv/write.js'
import {tempDir} from '../../helpers/context.js'
import {mountTmpfs, type SmallTmpfs} from '../../helpers/tmpfs.js'

const big = Buffer.alloc(256 << 10, 0x61)

describe('the atomic writer on a full disk (a real 1 MiB tmpfs)', () => {
  let fs: SmallTmpfs
  beforeAll(() => {
    fs = mountTmpfs(1 << 20)
  })
  afterAll(() => fs.cleanup())
  afterEach(() => {
    fs.unfill()
    for (const n of readdirSync(fs.path)) unlinkSync(join(fs.path, n))
  })
  const names = () =>
    readdirSync(fs.path)
      .filter((n) => n !== '.filler')
      .sort()

  it('the fault is real: with 8 KiB left, one write(2) of 256 KiB writes less and says nothing', () => {
    fs.fill(8192)
    const fd = openSync(join(fs.path, 'probe'), 'w')
    const n = writeSync(fd, big)
    closeSync(fd)
    expect(n).toBeGreaterThan(0)
    expect(n).toBeLessThan(big.length)
  })

  it('writeFileAtomic: a short write is an ENOSPC error, no file under the final name, no temporary left', () => {
    fs.fill(8192)
    const path = join(fs.path, 'report.html')
    let error: unknown
    try {
      writeFileAtomic(path, big)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(OutputError)
    expect(error).toMatchObject({code: 'ENOSPC', exitCode: 1, message: expect.stringContaining('no space left')})
    expect((error as OutputError).actions[0]).toMatch(/Free space in/)
    expect(names()).toEqual([])
  })

  it('writeFileAtomic: the previous file under the final name stays whole when the new one does not fit', () => {
    const path = join(fs.path, 'report.html')
    writeFileAtomic(path, 'previous run\n')
    fs.fill(8192)
    expect(() => writeFileAtomic(path, big)).toThrow(OutputError)
    expect(readFileSync(path, 'utf8')).toBe('previous run\n')
    expect(names()).toEqual(['report.html'])
  })

  it('openFileAtomic: the streaming writer fails the same way (short write in the middle of the stream)', async () => {
    fs.fill(16384)
    const file = await openFileAtomic(join(fs.path, 'big.csv'), {mode: 0o600})
    await file.write(Buffer.alloc(4096, 0x62))
    await expect(file.write(big)).rejects.toMatchObject({code: 'ENOSPC'})
    await file.abort()
    expect(names()).toEqual([])
  })

  it('the CSV writer: a full disk is an error and leaves neither the file nor its temporary', async () => {
    fs.fill(8192)
    const rows = Array.from({length: 20_000}, (_, i) => ({id: i, note: `row ${i} with some text to fill the disk`}))
    await expect(writeCsv(join(fs.path, 'out.csv'), rows, {columns: ['id', 'note']})).rejects.toMatchObject({code: 'ENOSPC'})
    expect(names()).toEqual([])
  })

  it('with room enough, the same writes succeed whole', async () => {
    writeFileAtomic(join(fs.path, 'a.bin'), big, {mode: 0o600})
    expect(readFileSync(join(fs.path, 'a.bin')).equals(big)).toBe(true)
    expect(statSync(join(fs.path, 'a.bin')).mode & 0o777).toBe(0o600)
    const f = await openFileAtomic(join(fs.path, 'b.bin'))
    await f.write(big)
    await f.write('end')
    await f.commit()
    expect(statSync(join(fs.path, 'b.bin')).size).toBe(big.length + 3)
    expect(names()).toEqual(['a.bin', 'b.bin'])
  })
})

describe('the atomic writer and symlinks', () => {
  let dir: {path: string; cleanup: () => void}
  beforeEach(() => {
    dir = tempDir('alpi-fs-')
  })
  afterEach(() => dir.cleanup())

  it('a symlink planted at the output path is replaced: its target keeps its content and its mode', () => {
    const target = join(dir.path, 'victim.txt')
    writeFileSync(target, 'precious\n', {mode: 0o640})
    const out = join(dir.path, 'rapport.html')
    symlinkSync(target, out)
    writeFileAtomic(out, '<html></html>\n', {mode: 0o600})
    expect(readFileSync(target, 'utf8')).toBe('precious\n')
    expect(statSync(target).mode & 0o777).toBe(0o640)
    expect(lstatSync(out).isSymbolicLink()).toBe(false)
    expect(statSync(out).mode & 0o777).toBe(0o600)
    expect(readFileSync(out, 'utf8')).toBe('<html></html>\n')
  })

  it('a dangling symlink planted at the output path creates nothing where it points', async () => {
    const target = join(dir.path, 'elsewhere', 'created-by-alpi')
    mkdirSync(join(dir.path, 'elsewhere'))
    const out = join(dir.path, 'out.csv')
    symlinkSync(target, out)
    const f = await openFileAtomic(out)
    await f.write('a,b\n')
    await f.commit()
    expect(existsSync(target)).toBe(false)
    expect(lstatSync(out).isFile()).toBe(true)
  })

  it('an existing file keeps its own mode until it is replaced, and is never chmodded in place', () => {
    const out = join(dir.path, 'x.csv')
    writeFileSync(out, 'old\n', {mode: 0o644})
    const before = statSync(out).ino
    writeFileAtomic(out, 'new\n', {mode: 0o600})
    expect(statSync(out).ino).not.toBe(before)
    expect(statSync(out).mode & 0o777).toBe(0o600)
  })

  it('ensureDir: folders alpi creates for personal data are 0700; an existing folder keeps its mode', () => {
    const fresh = ensureDir(join(dir.path, 'certs', 'day1'), {private: true})
    expect(statSync(fresh).mode & 0o777).toBe(0o700)
    mkdirSync(join(dir.path, 'shared'), {mode: 0o755})
    ensureDir(join(dir.path, 'shared'), {private: true})
    expect(statSync(join(dir.path, 'shared')).mode & 0o777).toBe(0o755)
  })

  it('removeStaleTemporaries removes the temporaries of dead writers only', () => {
    const dead = '.cf_famille.csv.999999999.0a1b2c3d.tmp'
    const alive = `.cf_famille.csv.${process.pid}.0a1b2c3d.tmp`
    for (const n of [dead, alive, 'cf_famille.csv', '.notours.tmp']) writeFileSync(join(dir.path, n), 'x')
    expect(removeStaleTemporaries(dir.path)).toEqual([dead])
    expect(readdirSync(dir.path).sort()).toEqual(
      ['.cf_famille.csv.' + process.pid + '.0a1b2c3d.tmp', '.notours.tmp', 'cf_famille.csv'].sort(),
    )
  })
})

describe('safeJoin: a name from the data stays one name inside its folder', () => {
  it.each([
    ['AB/../../../X', /holds a \/ or \\/],
    ['..', /\. or \.\. is not a name/],
    ['.', /\. or \.\. is not a name/],
    ['', /empty/],
    ['A\\..\\B', /holds a \/ or \\/],
    ['A\u0000B', /control character/],
    ['A\nB', /control character/],
    ['x'.repeat(256), /255 bytes/],
  ])('refuses %j', (part, reason) => {
    expect(() => safeJoin('/srv/staging', part)).toThrow(UnsafePathError)
    expect(pathPartProblem(part)).toMatch(reason)
  })

  it('joins plain names, and refuses any part that would climb out', () => {
    expect(safeJoin('/srv/staging', 'PC000123')).toBe('/srv/staging/PC000123')
    expect(safeJoin('/srv/staging', 'A..B', 'autounattend.xml')).toBe('/srv/staging/A..B/autounattend.xml')
    expect(() => safeJoin('/srv/staging', 'ok', '..')).toThrow(/UNSAFE_PATH|cannot be used in a path/)
    let error: unknown
    try {
      safeJoin('staging', 'AB/../../../X')
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({code: 'UNSAFE_PATH', exitCode: 1})
  })
})
