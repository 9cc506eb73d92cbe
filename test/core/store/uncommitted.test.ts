import {execFileSync} from 'node:child_process'
import {chmodSync, copyFileSync, mkdirSync, rmSync, unlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {openStore} from '../../../src/core/store/index.js'
import {applyTreeDiff} from '../../../src/core/store/tree-patch.js'
import {dropUncommitted, giveBackUncommitted, readUncommitted, recordUncommitted} from '../../../src/core/store/uncommitted.js'
import {gitEnv, makeRepo, removeDir, sh} from '../../support/repo.js'
import {fsck, indexBytes, treeState} from './helpers.js'

const dirs: string[] = []
const repo = (files?: Record<string, string | Buffer>) => {
  const d = makeRepo(files)
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

const FILES = {'a.txt': 'a\n', 'b.txt': 'b\n', 'keep.txt': 'keep\n', 'bin.dat': Buffer.from([0, 1, 2]), 'run.sh': '#!/bin/sh\n'}

function dirty(root: string): void {
  writeFileSync(path.join(root, 'a.txt'), 'a staged\n')
  sh(root, ['add', 'a.txt'])
  writeFileSync(path.join(root, 'a.txt'), 'a staged and more\n')
  unlinkSync(path.join(root, 'b.txt'))
  writeFileSync(path.join(root, 'new.txt'), 'new\n')
  sh(root, ['add', 'new.txt'])
  writeFileSync(path.join(root, 'ita.txt'), 'ita\n')
  sh(root, ['add', '-N', 'ita.txt'])
  mkdirSync(path.join(root, 'u'))
  writeFileSync(path.join(root, 'u/x.txt'), 'untracked\n')
  writeFileSync(path.join(root, 'bin.dat'), Buffer.from([0, 9, 0xff]))
  chmodSync(path.join(root, 'run.sh'), 0o755)
  sh(root, ['update-index', '--assume-unchanged', 'keep.txt'])
}

/** What the user sees, read through a copy of the index (`git diff` refreshes the index it reads). */
function seen(root: string): {tree: Record<string, string>; status: string; staged: string; unstaged: string; flags: string} {
  const copy = path.join(root, '.git', 'index.seen')
  const git = (...args: string[]) => {
    copyFileSync(path.join(root, '.git', 'index'), copy)
    try {
      return execFileSync('git', args, {cwd: root, env: {...process.env, ...gitEnv, GIT_INDEX_FILE: copy}, encoding: 'utf8'})
    } finally {
      rmSync(copy, {force: true})
    }
  }
  return {
    tree: treeState(root),
    status: git('status', '--porcelain=v2', '--untracked-files=all'),
    staged: git('diff', '--cached', '--binary'),
    unstaged: git('diff', '--binary'),
    flags: git('ls-files', '-v'),
  }
}

/** What `git pare step` does after recording: the work moves away (committed elsewhere), the tree is clean. */
function wipe(root: string): void {
  sh(root, ['update-index', '--no-assume-unchanged', 'keep.txt'])
  sh(root, ['reset', '-q', '--hard'])
  sh(root, ['clean', '-q', '-fd'])
}

describe('recording and giving back the uncommitted state', () => {
  it('nothing to record on a clean tree', async () => {
    const root = repo(FILES)
    const store = await openStore(root)
    expect(await recordUncommitted(store.ctx, 'p1')).toBeNull()
    expect(sh(root, ['for-each-ref', 'refs/parecode/uncommitted/'])).toBe('')
  })

  it('on the same HEAD it comes back byte for byte, flags and intent-to-add included, and the record reads back', async () => {
    const root = repo(FILES)
    dirty(root)
    const before = seen(root)
    const bytes = indexBytes(root)
    const store = await openStore(root)
    const rec = (await recordUncommitted(store.ctx, 'p1'))!
    expect(rec.counts).toEqual({staged: 2, unstaged: 5, untracked: 1})
    expect(rec.flags).toEqual({intent_to_add: ['ita.txt'], assume_unchanged: ['keep.txt'], skip_worktree: []})
    expect(await readUncommitted(store.ctx, 'p1')).toEqual(rec)
    // The record is a stash: git's own tools read it.
    expect(sh(root, ['show', '--format=%s', '--name-only', `${rec.ref}^2`])).toMatch(/^index on main: [0-9a-f]+ initial\n\na\.txt\nnew\.txt$/)
    expect(sh(root, ['ls-tree', '-r', '--name-only', `${rec.ref}^3`])).toBe('u/x.txt')
    wipe(root)
    expect(await giveBackUncommitted(store.ctx, rec)).toEqual({status: 'restored'})
    expect(indexBytes(root)).toBe(bytes)
    expect(seen(root)).toEqual(before)
    await dropUncommitted(store.ctx, rec)
    expect(await readUncommitted(store.ctx, 'p1')).toBeNull()
    expect(fsck(root)).not.toMatch(/error/)
  })

  it('on a new HEAD it is applied three-way to the work tree and the index; a conflict touches nothing', async () => {
    const root = repo(FILES)
    dirty(root)
    const before = seen(root)
    const store = await openStore(root)
    const rec = (await recordUncommitted(store.ctx, 'p1'))!
    wipe(root)
    writeFileSync(path.join(root, 'other.txt'), 'from the plan\n')
    sh(root, ['add', 'other.txt'])
    sh(root, ['commit', '-q', '-m', 'plan result'])
    expect(await giveBackUncommitted(store.ctx, rec)).toEqual({status: 'reapplied'})
    const after = seen(root)
    expect(after.staged).toBe(before.staged)
    expect(after.unstaged).toBe(before.unstaged)
    expect(after.status).toBe(before.status)
    expect(after.flags.replace('H other.txt\n', '')).toBe(before.flags)
    expect({...after.tree, 'other.txt': undefined}).toEqual({...before.tree, 'other.txt': undefined})

    // Now a HEAD that changed a.txt too: nothing is applied, the record stays.
    wipe(root)
    writeFileSync(path.join(root, 'a.txt'), 'a rewritten upstream\n')
    sh(root, ['commit', '-q', '-am', 'upstream'])
    const clean = treeState(root)
    const bytes = indexBytes(root)
    expect(await giveBackUncommitted(store.ctx, rec)).toEqual({status: 'kept', conflicts: ['a.txt']})
    expect(treeState(root)).toEqual(clean)
    expect(indexBytes(root)).toBe(bytes)
    expect(await readUncommitted(store.ctx, 'p1')).not.toBeNull()
  })

  it('a split index is recorded standalone and restored exactly', async () => {
    const root = repo(FILES)
    sh(root, ['config', 'core.splitIndex', 'true'])
    sh(root, ['update-index', '--split-index'])
    dirty(root)
    const before = seen(root)
    const store = await openStore(root)
    const rec = (await recordUncommitted(store.ctx, 'p1'))!
    wipe(root)
    expect(await giveBackUncommitted(store.ctx, rec)).toEqual({status: 'restored'})
    expect(seen(root)).toEqual(before)
  })

  it('unresolved conflicts in the index are refused', async () => {
    const root = repo(FILES)
    const blob = sh(root, ['hash-object', '-w', '--stdin'], 'theirs\n')
    sh(root, ['update-index', '--index-info'], `100644 ${blob} 3\ta.txt\n`)
    const store = await openStore(root)
    await expect(recordUncommitted(store.ctx, 'p1')).rejects.toMatchObject({code: 'unmerged', exitCode: 3})
  })
})

describe('applyTreeDiff', () => {
  it('applies binary, mode and deletion changes onto another tree, and names the paths that conflict', async () => {
    const root = repo(FILES)
    const store = await openStore(root)
    const base = sh(root, ['rev-parse', 'HEAD^{tree}'])
    writeFileSync(path.join(root, 'bin.dat'), Buffer.from([7, 7, 0xfe]))
    chmodSync(path.join(root, 'run.sh'), 0o755)
    unlinkSync(path.join(root, 'b.txt'))
    writeFileSync(path.join(root, 'a.txt'), 'changed\n')
    sh(root, ['add', '-A'])
    const changed = sh(root, ['write-tree'])
    sh(root, ['reset', '-q', '--hard'])
    writeFileSync(path.join(root, 'keep.txt'), 'other side\n')
    sh(root, ['commit', '-q', '-am', 'other'])
    const onto = sh(root, ['rev-parse', 'HEAD^{tree}'])
    const res = await applyTreeDiff(store.ctx, base, changed, onto)
    expect('tree' in res).toBe(true)
    const tree = (res as {tree: string}).tree
    expect(sh(root, ['ls-tree', '-r', tree])).toMatch(/100755 blob [0-9a-f]+\trun\.sh/)
    expect(sh(root, ['ls-tree', '-r', '--name-only', tree]).split('\n')).toEqual(['a.txt', 'bin.dat', 'keep.txt', 'run.sh'])
    expect(sh(root, ['cat-file', '-p', `${tree}:keep.txt`])).toBe('other side')
    writeFileSync(path.join(root, 'a.txt'), 'clash\n')
    sh(root, ['commit', '-q', '-am', 'clash'])
    expect(await applyTreeDiff(store.ctx, base, changed, sh(root, ['rev-parse', 'HEAD^{tree}']))).toEqual({conflicts: ['a.txt']})
    expect(sh(root, ['status', '--porcelain'])).toBe('')
  })
})
