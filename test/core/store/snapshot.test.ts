import {chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {openStore} from '../../../src/core/store/index.js'
import {makeRepo, removeDir, sh, writeFiles} from '../../support/repo.js'
import {fsck, indexBytes, treeState} from './helpers.js'

const dirs: string[] = []
const repo = (files?: Record<string, string | Buffer>, opts?: {commit?: boolean}) => {
  const d = makeRepo(files, opts)
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('snapshot and restore', () => {
  it('round-trips untracked, deleted, renamed, binary, executable and symlinked files, honouring nested .gitignore', async () => {
    const dir = repo({
      'README.md': '# demo\n',
      'src/a.ts': 'export const a = 1\n',
      'src/old.ts': 'old\n',
      'bin/tool.sh': '#!/bin/sh\necho hi\n',
      '.gitignore': '*.log\n',
      'sub/.gitignore': 'cache/\n!keep.log\n',
      'img.bin': Buffer.from([0, 1, 2, 255, 0, 10, 13]),
    })
    chmodSync(path.join(dir, 'bin/tool.sh'), 0o755)
    sh(dir, ['add', '-A'])
    sh(dir, ['commit', '-q', '-m', 'exec bit'])
    // Work in progress: edits, an untracked file, a deletion, a rename, a symlink, ignored files.
    writeFiles(dir, {'src/a.ts': 'export const a = 2\n', 'notes.txt': 'untracked\n', 'sub/keep.log': 'kept\n', 'sub/cache/x': 'ignored\n', 'debug.log': 'ignored\n'})
    rmSync(path.join(dir, 'README.md'))
    sh(dir, ['mv', 'src/old.ts', 'src/new.ts'])
    symlinkSync('src/a.ts', path.join(dir, 'link'))
    writeFileSync(path.join(dir, 'img.bin'), Buffer.from([9, 0, 9, 0]))
    chmodSync(path.join(dir, 'bin/tool.sh'), 0o644)
    const indexBefore = indexBytes(dir)
    const headBefore = sh(dir, ['rev-parse', 'HEAD'])
    const branchesBefore = sh(dir, ['for-each-ref', 'refs/heads'])

    const store = await openStore(dir)
    const snap = await store.snapshot({message: 'wip'})
    expect(indexBytes(dir)).toBe(indexBefore)
    expect(sh(dir, ['rev-parse', 'HEAD'])).toBe(headBefore)
    expect(sh(dir, ['for-each-ref', 'refs/heads'])).toBe(branchesBefore)
    const files = sh(dir, ['ls-tree', '-r', '--name-only', snap.commit]).split('\n')
    expect(files).toEqual(expect.arrayContaining(['notes.txt', 'sub/keep.log', 'src/new.ts', 'link', 'img.bin']))
    expect(files).not.toContain('README.md')
    expect(files).not.toContain('debug.log')
    expect(files).not.toContain('sub/cache/x')
    expect(sh(dir, ['ls-tree', snap.commit, 'link'])).toMatch(/^120000 /)
    expect(sh(dir, ['ls-tree', snap.commit, 'bin/tool.sh'])).toMatch(/^100644 /)
    expect(sh(dir, ['rev-parse', `${snap.commit}^`])).toBe(headBefore)
    const wip = treeState(dir)
    fsck(dir)

    // Change everything again, then restore the snapshot.
    writeFiles(dir, {'src/a.ts': 'export const a = 3\n', 'added-later.txt': 'new\n', 'deep/er/file.txt': 'x\n', 'debug.log': 'still ignored\n'})
    rmSync(path.join(dir, 'notes.txt'))
    rmSync(path.join(dir, 'link'))
    chmodSync(path.join(dir, 'bin/tool.sh'), 0o755)
    const res = await store.restore(snap.commit)
    const {['debug.log']: _ignored, ...after} = treeState(dir)
    const {['debug.log']: _before, ...expected} = wip
    expect(after).toEqual(expected)
    expect(existsSync(path.join(dir, 'deep'))).toBe(false)
    expect(readFileSync(path.join(dir, 'debug.log'), 'utf8')).toBe('still ignored\n')
    expect(indexBytes(dir)).toBe(indexBefore)
    expect(sh(dir, ['rev-parse', 'HEAD'])).toBe(headBefore)
    fsck(dir)

    // The restore itself is undoable: the state before it was snapshotted.
    expect(sh(dir, ['cat-file', '-p', `${res.before.commit}:added-later.txt`])).toBe('new')
    await store.restore(res.before.commit)
    expect(readFileSync(path.join(dir, 'added-later.txt'), 'utf8')).toBe('new\n')
    expect(existsSync(path.join(dir, 'notes.txt'))).toBe(false)
    fsck(dir)
  })

  it('handles a file turning into a folder and back, and names with spaces and non-ASCII', async () => {
    const dir = repo({'x': 'file x\n', 'dir with space/ünï cödé.txt': 'unicode\n', 'keep/a.txt': 'a\n'})
    const store = await openStore(dir)
    const s1 = await store.snapshot()
    const before = treeState(dir)
    rmSync(path.join(dir, 'x'))
    writeFiles(dir, {'x/y.txt': 'now a folder\n', 'dir with space/ünï cödé.txt': 'changed\n'})
    rmSync(path.join(dir, 'keep'), {recursive: true})
    writeFileSync(path.join(dir, 'keep'), 'now a file\n')
    const s2 = await store.snapshot()
    await store.restore(s1.commit)
    expect(treeState(dir)).toEqual(before)
    await store.restore(s2.commit)
    expect(readFileSync(path.join(dir, 'x/y.txt'), 'utf8')).toBe('now a folder\n')
    expect(readFileSync(path.join(dir, 'keep'), 'utf8')).toBe('now a file\n')
    fsck(dir)
  })

  it('does not re-hash unchanged files and reuses an identical snapshot', async () => {
    const dir = repo({'a.txt': 'a\n'})
    const store = await openStore(dir)
    const s1 = await store.snapshot()
    const s2 = await store.snapshot()
    expect(s2.reused).toBe(true)
    expect(s2.commit).toBe(s1.commit)
    writeFileSync(path.join(dir, 'a.txt'), 'b\n')
    const s3 = await store.snapshot()
    expect(s3.reused).toBe(false)
    expect(s3.ref).not.toBe(s1.ref)
    // Private index kept between runs, in the git dir; a damaged one is rebuilt.
    expect(existsSync(path.join(dir, '.git/parecode/index'))).toBe(true)
    writeFileSync(path.join(dir, '.git/parecode/index'), 'garbage')
    const s4 = await store.snapshot()
    expect(s4.tree).toBe(s3.tree)
  })

  it('keeps files the user tracks despite .gitignore, and drops files that became ignored', async () => {
    const dir = repo({'a.txt': 'a\n', 'forced.log': 'tracked anyway\n', '.gitignore': '*.log\n'})
    sh(dir, ['add', '-f', 'forced.log'])
    sh(dir, ['commit', '-q', '-m', 'force'])
    writeFiles(dir, {'build/out.js': 'generated\n'})
    const store = await openStore(dir)
    const s1 = await store.snapshot()
    expect(sh(dir, ['ls-tree', '-r', '--name-only', s1.commit])).toContain('build/out.js')
    writeFiles(dir, {'.gitignore': '*.log\nbuild/\n'})
    const s2 = await store.snapshot()
    const names = sh(dir, ['ls-tree', '-r', '--name-only', s2.commit]).split('\n')
    expect(names).not.toContain('build/out.js')
    expect(names).toContain('forced.log')
  })

  it('works with no commit yet, and on a detached HEAD', async () => {
    const dir = repo({'a.txt': 'a\n'}, {commit: false})
    const store = await openStore(dir)
    const s = await store.snapshot()
    expect(sh(dir, ['ls-tree', '--name-only', s.commit])).toBe('a.txt')
    expect(sh(dir, ['rev-list', '--count', s.commit])).toBe('1')
    writeFileSync(path.join(dir, 'b.txt'), 'b\n')
    await store.restore(s.commit)
    expect(existsSync(path.join(dir, 'b.txt'))).toBe(false)
    expect(existsSync(path.join(dir, '.git/index'))).toBe(false)

    const det = repo({'x.txt': '1\n'})
    sh(det, ['checkout', '-q', '--detach'])
    const head = sh(det, ['rev-parse', 'HEAD'])
    const st = await openStore(det)
    const snap = await st.snapshot()
    expect(sh(det, ['rev-parse', `${snap.commit}^`])).toBe(head)
    expect(sh(det, ['status', '--porcelain', '--branch']).split('\n')[0]).toContain('no branch')
    fsck(det)
  })

  it('refuses to overwrite an ignored file and writes nothing', async () => {
    const dir = repo({'a.txt': 'a\n', '.gitignore': ''})
    writeFileSync(path.join(dir, 'gen.txt'), 'v1\n')
    const store = await openStore(dir)
    const s = await store.snapshot()
    rmSync(path.join(dir, 'gen.txt'))
    writeFileSync(path.join(dir, '.gitignore'), 'gen.txt\n')
    writeFileSync(path.join(dir, 'gen.txt'), 'precious ignored\n')
    writeFileSync(path.join(dir, 'a.txt'), 'changed\n')
    // The snapshot's .gitignore is empty, so restoring would turn the ignored gen.txt back into v1.
    await expect(store.restore(s.commit)).rejects.toThrow(/gen\.txt/)
    expect(readFileSync(path.join(dir, 'gen.txt'), 'utf8')).toBe('precious ignored\n')
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('changed\n')
  })

  it('leaves submodules alone', async () => {
    const lib = repo({'lib.txt': 'lib\n'})
    const dir = repo({'a.txt': 'a\n'})
    sh(dir, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'vendor/lib'])
    sh(dir, ['commit', '-q', '-m', 'submodule'])
    const store = await openStore(dir)
    const s = await store.snapshot()
    expect(sh(dir, ['ls-tree', s.commit, 'vendor/lib'])).toMatch(/^160000 commit /)
    writeFileSync(path.join(dir, 'vendor/lib/lib.txt'), 'edited inside the submodule\n')
    writeFileSync(path.join(dir, 'a.txt'), 'b\n')
    await store.restore(s.commit)
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('a\n')
    expect(readFileSync(path.join(dir, 'vendor/lib/lib.txt'), 'utf8')).toBe('edited inside the submodule\n')
    fsck(dir)
  })

  it('works in a linked worktree with refs in the common dir and its own private index', async () => {
    const dir = repo({'a.txt': 'a\n'})
    const wt = path.join(dir, '..', `${path.basename(dir)}-wt`)
    dirs.push(wt)
    sh(dir, ['worktree', 'add', '-q', '-b', 'side', wt])
    writeFileSync(path.join(wt, 'w.txt'), 'in worktree\n')
    const store = await openStore(wt)
    const s = await store.snapshot()
    expect(s.ref).toMatch(/^refs\/parecode\/worktrees\/[^/]+\/snapshots\/00000001$/)
    expect(sh(dir, ['rev-parse', s.ref])).toBe(s.commit)
    expect(existsSync(path.join(dir, '.git/worktrees', path.basename(wt), 'parecode/index'))).toBe(true)
    writeFileSync(path.join(wt, 'w.txt'), 'changed\n')
    await store.restore(s.commit)
    expect(readFileSync(path.join(wt, 'w.txt'), 'utf8')).toBe('in worktree\n')
    mkdirSync(path.join(dir, 'unrelated'))
  })

  it('uses a fallback identity when none is configured', async () => {
    const dir = repo({'a.txt': 'a\n'})
    const env = {...process.env}
    for (const k of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL']) delete process.env[k]
    process.env.GIT_CONFIG_GLOBAL = '/dev/null'
    process.env.GIT_CONFIG_NOSYSTEM = '1'
    try {
      const store = await openStore(dir, {clock: () => new Date('2026-01-02T03:04:05Z')})
      const s = await store.snapshot()
      expect(sh(dir, ['log', '-1', '--format=%an <%ae> %cI', s.commit])).toBe('git-pare <git-pare@localhost> 2026-01-02T03:04:05+00:00')
    } finally {
      process.env = env
    }
  })
})
