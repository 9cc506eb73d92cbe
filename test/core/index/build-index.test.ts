import {existsSync, readFileSync, unlinkSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {blobId, buildIndex, indexCachePath} from '../../../src/core/index/build-index.js'
import {makeRepo, removeDir, sh} from '../../support/repo.js'

const repos: string[] = []
const repo = (files: Record<string, string>) => {
  const root = makeRepo(files)
  repos.push(root)
  return {root, gitDir: path.join(root, '.git')}
}
afterEach(() => repos.splice(0).forEach(removeDir))

describe('buildIndex', () => {
  it('indexes tracked and untracked files, skips ignored ones, and caches by blob id', async () => {
    const r = repo({
      'src/auth.ts': 'export function validateToken(t: string) { return t }\n',
      'src/util.py': 'def helper():\n    pass\n',
      'README.md': '# demo\n',
      '.gitignore': 'build/\n',
    })
    writeFileSync(path.join(r.root, 'src/new.go'), 'package x\n\nfunc NewThing() {}\n')
    const first = await buildIndex(r)
    expect(first.stats).toMatchObject({files: 3, parsed: 3, cached: 0})
    expect(first.paths).toEqual(['.gitignore', 'README.md', 'src/auth.ts', 'src/new.go', 'src/util.py'])
    expect(first.symbolsOf('src/auth.ts').map((s) => s.name)).toEqual(['validateToken'])
    expect(first.symbolsOf('src/new.go').map((s) => s.name)).toEqual(['NewThing'])
    expect(existsSync(indexCachePath(r.gitDir))).toBe(true)

    const warm = await buildIndex(r)
    expect(warm.stats).toMatchObject({files: 3, parsed: 0, cached: 3})
  }, 30_000)

  it('re-parses only changed contents, drops deleted files, and leaves ignored files out', async () => {
    const r = repo({'a.ts': 'export const a = 1\n', 'b.ts': 'export const b = 1\n', 'c.py': 'C = 1\n', '.gitignore': 'out/\n'})
    await buildIndex(r)
    writeFileSync(path.join(r.root, 'a.ts'), 'export const a = 2\nexport function more() {}\n')
    unlinkSync(path.join(r.root, 'c.py'))
    writeFileSync(path.join(r.root, 'out.ts'), 'export const untracked = 1\n')
    writeFileSync(path.join(r.root, '.gitignore'), 'out/\nout.ts\n')
    const idx = await buildIndex(r)
    expect(idx.stats).toMatchObject({parsed: 1, cached: 1})
    expect(idx.symbolsOf('a.ts').map((s) => s.name)).toEqual(['a', 'more'])
    expect(idx.has('c.py')).toBe(false)
    expect(idx.has('out.ts')).toBe(false)
  }, 30_000)

  it('survives a corrupt cache file (and rewrites it)', async () => {
    const r = repo({'a.ts': 'export const a = 1\n'})
    await buildIndex(r)
    writeFileSync(indexCachePath(r.gitDir), '{not json')
    const idx = await buildIndex(r)
    expect(idx.stats.parsed).toBe(1)
    expect(Object.keys(JSON.parse(readFileSync(indexCachePath(r.gitDir), 'utf8')).entries)).toHaveLength(1)
  })

  it('an untracked file unchanged since the last build (same mtime and size) is not read again', async () => {
    const r = repo({'a.ts': 'export const a = 1\n'})
    const file = path.join(r.root, 'new.ts')
    const old = new Date(Date.now() - 60_000)
    writeFileSync(file, 'export const one = 1\n')
    utimesSync(file, old, old)
    expect((await buildIndex(r)).symbolsOf('new.ts').map((s) => s.name)).toEqual(['one'])
    // Same size and mtime: the stat cache answers (this is what makes warm builds cheap with many untracked files).
    writeFileSync(file, 'export const two = 2\n')
    utimesSync(file, old, old)
    expect((await buildIndex(r)).symbolsOf('new.ts').map((s) => s.name)).toEqual(['one'])
    // A real edit moves the mtime; a file touched just now is always read.
    writeFileSync(file, 'export const three = 3\n')
    expect((await buildIndex(r)).symbolsOf('new.ts').map((s) => s.name)).toEqual(['three'])
    writeFileSync(file, 'export const four_ = 4\n')
    expect((await buildIndex(r)).symbolsOf('new.ts').map((s) => s.name)).toEqual(['four_'])
  })

  it('blobId matches git hash-object', () => {
    const r = repo({'x.txt': 'hello\n'})
    expect(blobId(Buffer.from('hello\n'))).toBe(sh(r.root, ['hash-object', 'x.txt']))
  })

  it('skips files over the size cap and binary files', async () => {
    const r = repo({'big.ts': `export const big = "${'x'.repeat(2000)}"\n`, 'bin.c': 'int a;\u0000\u0001'})
    const idx = await buildIndex(r, {maxFileBytes: 1000})
    expect(idx.symbolsOf('big.ts')).toEqual([])
    expect(idx.symbolsOf('bin.c')).toEqual([])
    expect(idx.has('big.ts')).toBe(true)
  })
})
