import {rmSync, symlinkSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import listFiles, {groupByFolder, MAX_ENTRIES, summarise} from '../../../src/core/tools/list-files.js'
import {makeRepo, removeDir, tempDir, writeFiles} from '../../support/repo.js'
import {makeCtx} from './helpers.js'

const outside = tempDir('pare-outside-')
const files: Record<string, string> = {
  '.gitignore': 'node_modules/\ndist/\n',
  'README.md': '#\n',
  'src/a.ts': '',
  'src/b.ts': '',
  'src/ünï.ts': '',
  'gone.txt': 'x',
}
for (let i = 0; i < 300; i++) files[`vendor/lib/f${i}.js`] = ''
const root = makeRepo(files)
writeFiles(root, {'new.ts': '', 'node_modules/x/index.js': '', 'dist/out.js': ''})
rmSync(path.join(root, 'gone.txt'))
symlinkSync(outside, path.join(root, 'outdir'))
afterAll(() => {
  removeDir(root)
  removeDir(outside)
})

const run = (args: Parameters<typeof listFiles.run>[0]) => listFiles.run(args, makeCtx(root))

describe('list_files', () => {
  it('lists what git sees, skips ignored and deleted files, and folds big folders', async () => {
    const r = await run({})
    expect(r.content).toBe(['./: .gitignore README.md new.ts outdir', 'src/: a.ts b.ts ünï.ts', 'vendor/lib/ (300 files)', '[307 files; list a folder to see inside]'].join('\n'))
    expect(r.summary).toBe('list .: 307 files')
  })

  it('lists a folder', async () => {
    expect((await run({path: 'src'})).content).toBe('src/: a.ts b.ts ünï.ts')
    // 300 files in one folder cannot be folded further: the listing is cut at the cap.
    const lib = await run({path: 'vendor/lib/'})
    expect(lib.content.split('\n')[0]!.split(' ')).toHaveLength(MAX_ENTRIES + 1)
    expect(lib.content.split('\n').at(-1)).toBe('[300 files, 100 not shown; list_files a subfolder or use search]')
  })

  it('errors clearly on a file, a missing folder, or a path outside', async () => {
    expect((await run({path: 'README.md'})).content).toBe('Error: README.md is a file; use read_file')
    expect((await run({path: 'nope'})).content).toBe('Error: nope does not exist; list_files without path shows the top level')
    for (const p of ['..', outside, 'outdir', '.git']) expect((await run({path: p})).ok, p).toBe(false)
  })

  it('says when a folder has nothing to show', async () => {
    expect((await run({path: 'node_modules'})).content).toBe('no files in node_modules/ (empty or all git-ignored)')
  })
})

describe('groupByFolder', () => {
  it('pays for each folder path once, keeps folders with files after their parent', () => {
    expect(groupByFolder(['a.ts', 'src/a.ts', 'src/b/c.ts', 'src/d.ts', 'src/e/ (9 files)', 'with space.md'])).toEqual([
      './: a.ts "with space.md"',
      'src/: a.ts d.ts',
      'src/b/: c.ts',
      'src/e/ (9 files)',
    ])
  })
})

describe('summarise', () => {
  it('expands folders breadth-first within the cap', () => {
    const paths = ['a/1', 'a/2', 'b/c/1', 'b/c/2', 'b/c/3', 'top']
    expect(summarise(paths, '', 100).lines).toEqual(['a/1', 'a/2', 'b/c/1', 'b/c/2', 'b/c/3', 'top'])
    expect(summarise(paths, '', 4).lines).toEqual(['a/1', 'a/2', 'b/c/ (3 files)', 'top'])
    // A folder holding a single folder costs nothing to open, so b/ shows as b/c/.
    expect(summarise(paths, '', 3).lines).toEqual(['a/ (2 files)', 'b/c/ (3 files)', 'top'])
  })

  it('never lists more than the cap', () => {
    const paths = Array.from({length: 5000}, (_, i) => `d${i % 37}/e${i % 11}/f${i}.ts`)
    const {lines} = summarise(paths, '', MAX_ENTRIES)
    expect(lines.length).toBeLessThanOrEqual(MAX_ENTRIES)
  })
})
