import {chmodSync, linkSync, mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {lineHash} from '../../../src/core/tools/anchors.js'
import readFile, {parseRange} from '../../../src/core/tools/read-file.js'
import writeFile from '../../../src/core/tools/write-file.js'
import {makeRepo, removeDir, tempDir} from '../../support/repo.js'
import {makeCtx} from './helpers.js'

const big = Array.from({length: 20_000}, (_, i) => `line ${i + 1}`).join('\n') + '\n'
const repeated = ['function a() {', '  return 1', '}', '', 'function b() {', '  return 1', '}', ''].join('\n')
const outside = tempDir('pare-outside-')
writeFileSync(path.join(outside, 'secret.txt'), 'top secret\n')
const root = makeRepo({
  'src/a.ts': 'export const a = 1\nexport function f() {\n  return a\n}\n',
  'crlf.txt': 'one\r\ntwo\r\nthree\r\n',
  'utf8.md': '# Ünïcødé ✓\n你好，世界\n🎉 party\n',
  'big.txt': big,
  'repeat.ts': repeated,
  'bin.dat': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
  'long.txt': `${'x'.repeat(2000)}\nshort\n`,
  'empty.txt': '',
  'docs/guide/a.ts': 'x\n',
  'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
})
symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'))
symlinkSync(outside, path.join(root, 'outdir'))
afterAll(() => {
  removeDir(root)
  removeDir(outside)
})

const read = (args: Parameters<typeof readFile.run>[0], over = {}) => readFile.run(args, makeCtx(root, over))

describe('read_file', () => {
  it('prefixes each line with N#hash:', async () => {
    const r = await read({path: 'src/a.ts'})
    expect(r.ok).toBe(true)
    expect(r.content.split('\n')).toEqual([
      `1#${lineHash('export const a = 1')}:export const a = 1`,
      `2#${lineHash('export function f() {')}:export function f() {`,
      `3#${lineHash('  return a')}:  return a`,
      `4#${lineHash('}')}:}`,
    ])
    expect(r.summary).toBe('read src/a.ts (4 lines)')
  })

  it('uses plain N: prefixes when anchors are off', async () => {
    const r = await read({path: 'src/a.ts'}, {editFormat: {anchors: false, patch: true}})
    expect(r.content.split('\n')[0]).toBe('1:export const a = 1')
  })

  it('shows at most 150 lines of a 20,000-line file and says how to get more', async () => {
    const r = await read({path: 'big.txt'})
    const lines = r.content.split('\n')
    expect(lines).toHaveLength(151)
    expect(lines[149]).toMatch(/^150#[0-9a-z]{4}:line 150$/)
    expect(lines[150]).toBe('[lines 1-150 of 20000; more: line_range "151-300" or symbols: true]')
    expect(r.summary).toBe('read big.txt 1-150/20000')
  })

  it('reads an explicit range, as a string or an array, and caps a huge one', async () => {
    const s = await read({path: 'big.txt', line_range: '10-12'})
    expect(s.content).toBe(
      ['10', '11', '12'].map((n) => `${n}#${lineHash(`line ${n}`)}:line ${n}`).join('\n') + '\n[lines 10-12 of 20000; more: line_range "13-162"]',
    )
    const a = await read({path: 'big.txt', line_range: [19_999, 20_000]})
    expect(a.content).toMatch(/^19999#\w{4}:line 19999\n20000#\w{4}:line 20000\n\[lines 19999-20000 of 20000\]$/)
    const huge = await read({path: 'big.txt', line_range: '1-20000'})
    expect(huge.content.split('\n')).toHaveLength(1001)
    expect(huge.content).toContain('[lines 1-1000 of 20000 (max 1000 per read); more: line_range "1001-1150"]')
    const open = await read({path: 'big.txt', line_range: '19990-'})
    expect(open.content.split('\n')).toHaveLength(12)
  })

  it('rejects ranges past the end or malformed', async () => {
    expect((await read({path: 'src/a.ts', line_range: '9-10'})).content).toBe('Error: line_range starts at 9 but src/a.ts has 4 lines')
    expect((await read({path: 'src/a.ts', line_range: 'abc'})).ok).toBe(false)
    expect((await read({path: 'src/a.ts', line_range: '5-2'})).ok).toBe(false)
  })

  it('parses range forms', () => {
    expect(parseRange('10-80')).toEqual({start: 10, end: 80})
    expect(parseRange('L10-L80')).toEqual({start: 10, end: 80})
    expect(parseRange('10:80')).toEqual({start: 10, end: 80})
    expect(parseRange('7')).toEqual({start: 7, end: 7})
    expect(parseRange('7-')).toEqual({start: 7, end: undefined})
    expect(parseRange([3, 4])).toEqual({start: 3, end: 4})
    expect(parseRange(0)).toHaveProperty('error')
  })

  it('shows CRLF lines without the CR, hashed like their LF twins', async () => {
    const r = await read({path: 'crlf.txt'})
    expect(r.content).toBe(`1#${lineHash('one')}:one\n2#${lineHash('two')}:two\n3#${lineHash('three')}:three`)
    expect(r.content).not.toContain('\r')
  })

  it('keeps non-ASCII text intact', async () => {
    const r = await read({path: 'utf8.md'})
    expect(r.content).toContain(':# Ünïcødé ✓')
    expect(r.content).toContain(':你好，世界')
    expect(r.content).toContain(':🎉 party')
  })

  it('does not show a BOM', async () => {
    writeFileSync(path.join(root, 'bom.txt'), '\uFEFFfirst\nsecond\n')
    expect((await read({path: 'bom.txt'})).content).toBe(`1#${lineHash('first')}:first\n2#${lineHash('second')}:second`)
  })

  it('shows a non-UTF-8 file as latin1 and says so', async () => {
    const r = await read({path: 'latin1.txt'})
    expect(r.content).toContain(':café')
    expect(r.content).toContain('not valid UTF-8')
  })

  it('gives identical lines the same hash but distinct line numbers', async () => {
    const lines = (await read({path: 'repeat.ts'})).content.split('\n')
    expect(lines[1]!.slice(lines[1]!.indexOf('#'))).toBe(lines[5]!.slice(lines[5]!.indexOf('#')))
    expect(lines[1]!.startsWith('2#')).toBe(true)
    expect(lines[5]!.startsWith('6#')).toBe(true)
  })

  it('refuses binary files', async () => {
    const r = await read({path: 'bin.dat'})
    expect(r).toMatchObject({ok: false, content: 'Error: bin.dat is a binary file (8 bytes); not shown'})
  })

  it('cuts very long lines with a marker', async () => {
    const first = (await read({path: 'long.txt'})).content.split('\n')[0]!
    expect(first).toMatch(/^1#\w{4}:x{500}…\[\+1500 chars\]$/)
    expect(first).toContain(`#${lineHash('x'.repeat(2000))}:`)
  })

  it('says a file is empty', async () => {
    expect((await read({path: 'empty.txt'})).content).toBe('(empty file)')
  })

  it('lists symbols with line numbers instead of content', async () => {
    const r = await read({path: 'src/a.ts', symbols: true})
    // The symbol engine may be regex or tree-sitter: pin the format, not its exact judgement.
    expect(r.content).toMatch(/^1 \w+ a$/m)
    expect(r.content).toMatch(/^2(-4)? function f$/m)
    expect(r.content).toMatch(/\n\[2 symbols; file has 4 lines; read parts with line_range\]$/)
    expect(r.content).not.toContain('return a')
    const none = await read({path: 'crlf.txt', symbols: true})
    expect(none.content).toBe('no symbols found in crlf.txt (3 lines); read it with line_range')
  })

  it('answers an unchanged re-read with a one-line note, and re-reads after a write', async () => {
    const ctx = makeCtx(root, {callId: 'c1'})
    const first = await readFile.run({path: 'repeat.ts'}, ctx)
    expect(first.content).toContain('function a')
    const again = await readFile.run({path: 'repeat.ts'}, {...ctx, callId: 'c2'})
    expect(again.content).toBe('repeat.ts is unchanged since call c1 (same view); see that result')
    expect(again.content.split('\n')).toHaveLength(1)
    // A different view of the same file is not a cache hit.
    const part = await readFile.run({path: 'repeat.ts', line_range: '1-2'}, {...ctx, callId: 'c3'})
    expect(part.content).toContain('function a')
    const w = await writeFile.run({path: 'repeat.ts', content: 'changed\n', overwrite: true}, {...ctx, callId: 'c4'})
    expect(w.ok).toBe(true)
    const after = await readFile.run({path: 'repeat.ts', line_range: '1-2'}, {...ctx, callId: 'c5'})
    expect(after.content).toBe(`1#${lineHash('changed')}:changed`)
    writeFileSync(path.join(root, 'repeat.ts'), repeated)
  })

  it('re-reads when the earlier result is no longer whole in the request', async () => {
    const {ReadCache} = await import('../../../src/core/context/read-cache.js')
    const ctx = makeCtx(root, {callId: 'e1', readCache: new ReadCache({visible: () => false})})
    await readFile.run({path: 'src/a.ts'}, ctx)
    expect((await readFile.run({path: 'src/a.ts'}, {...ctx, callId: 'e2'})).content).toContain('export const a = 1')
  })

  it('notices a change made behind its back (same path, new content)', async () => {
    const ctx = makeCtx(root, {callId: 'd1'})
    writeFileSync(path.join(root, 'tmp-change.txt'), 'v1\n')
    await readFile.run({path: 'tmp-change.txt'}, ctx)
    writeFileSync(path.join(root, 'tmp-change.txt'), 'v2\n')
    const r = await readFile.run({path: 'tmp-change.txt'}, {...ctx, callId: 'd2'})
    expect(r.content).toContain(':v2')
  })

  it('points a directory to list_files', async () => {
    expect((await read({path: 'src'})).content).toBe('Error: src is a directory; use list_files with path "src"')
  })

  it('suggests files with the same name when a path is wrong', async () => {
    const r = await read({path: 'lib/a.ts'})
    expect(r.ok).toBe(false)
    expect(r.content).toBe('Error: lib/a.ts does not exist; did you mean docs/guide/a.ts, src/a.ts?')
    expect((await read({path: 'nope.xyz'})).content).toBe('Error: nope.xyz does not exist; use list_files or search to find it')
  })

  it('stays inside the repository', async () => {
    for (const p of ['../x', `${outside}/secret.txt`, 'leak.txt', 'outdir/secret.txt', '.git/config', 'src/../../x']) {
      const r = await read({path: p})
      expect(r.ok, p).toBe(false)
      expect(r.content, p).not.toContain('top secret')
      expect(r.content, p).toMatch(/outside the repository|inside \.git/)
    }
  })

  it('reads a symlink that stays inside the repository', async () => {
    mkdirSync(path.join(root, 'links'), {recursive: true})
    symlinkSync('../src/a.ts', path.join(root, 'links/a.ts'))
    const r = await read({path: 'links/a.ts'})
    expect(r.content).toContain('export const a = 1')
  })

  it('reports an unreadable file as a tool error, not a crash', async () => {
    if (process.getuid?.() === 0) return // root reads anything
    writeFileSync(path.join(root, 'locked.txt'), 'x\n')
    chmodSync(path.join(root, 'locked.txt'), 0)
    expect((await read({path: 'locked.txt'})).content).toBe('Error: could not read locked.txt (EACCES)')
  })
})

describe('read_file limits', () => {
  it('caps the symbols view, leaving out constants first, and pages with line_range', async () => {
    const src = Array.from({length: 400}, (_, i) => `export const c${i} = ${i}\nexport function f${i}() {\n  return c${i}\n}\n`).join('')
    writeFileSync(path.join(root, 'many.ts'), src)
    const r = await read({path: 'many.ts', symbols: true})
    const lines = r.content.split('\n')
    expect(lines).toHaveLength(151)
    expect(lines[0]).toMatch(/^2(-4)? function f0$/)
    expect(lines[150]).toBe('[150 of 800 symbols; 400 variables/constants left out; more: symbols with line_range "602-"; file has 1600 lines; read parts with line_range]')
    const page = await read({path: 'many.ts', symbols: true, line_range: '1-8'})
    expect(page.content).toMatch(/^1 \w+ c0\n2(-4)? function f0\n5 \w+ c1\n6(-8)? function f1\n\[4 symbols in lines 1-8; file has 1600 lines/)
  })


  it('refuses a file over 10 MB', async () => {
    writeFileSync(path.join(root, 'huge.txt'), Buffer.alloc(11 * 1024 * 1024, 0x61))
    expect((await read({path: 'huge.txt'})).content).toBe('Error: huge.txt is too large to read (11.0 MB); use search, or bash with head/sed')
  })

  it('refuses a hard link to a file outside the repository (and any file with several links); a regular file still reads', async () => {
    const secret = path.join(outside, 'hard-secret.txt')
    writeFileSync(secret, 'api key 0000\n')
    linkSync(secret, path.join(root, 'hard.txt'))
    mkdirSync(path.join(root, 'deep/er'), {recursive: true})
    linkSync(secret, path.join(root, 'deep/er/nested.txt'))
    for (const p of ['hard.txt', './hard.txt', 'deep/er/nested.txt', 'deep/../hard.txt']) {
      const r = await read({path: p})
      expect(r.ok, p).toBe(false)
      expect(r.content).toMatch(/^Error: .+ has more than one hard link, so it may be a file outside the repository; not read/)
      expect(r.content).not.toContain('api key')
      expect((await read({path: p, symbols: true})).content).not.toContain('api key')
    }
    // Two links inside the repository are refused too: from inside, they cannot be told apart.
    writeFileSync(path.join(root, 'twin.txt'), 'twin\n')
    linkSync(path.join(root, 'twin.txt'), path.join(root, 'twin-again.txt'))
    expect((await read({path: 'twin-again.txt'})).ok).toBe(false)
    expect((await read({path: 'crlf.txt'})).ok).toBe(true)
  })

  it('does not block on a FIFO', async () => {
    const {execFileSync} = await import('node:child_process')
    execFileSync('mkfifo', [path.join(root, 'pipe')])
    expect((await read({path: 'pipe'})).content).toBe('Error: pipe is not a regular file')
  })
})
