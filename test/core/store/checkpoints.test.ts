import {readFileSync, writeFileSync, existsSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {openStore} from '../../../src/core/store/index.js'
import {makeRepo, removeDir, sh} from '../../support/repo.js'
import {fsck, indexBytes} from './helpers.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})
const repo = (files?: Record<string, string>) => {
  const d = makeRepo(files)
  dirs.push(d)
  return d
}
const read = (dir: string, f: string) => readFileSync(path.join(dir, f), 'utf8')

describe('checkpoints, undo and redo', () => {
  it('undoes back through the stack and redoes forward, keeping the undone state reachable', async () => {
    const dir = repo({'a.txt': '0\n'})
    const store = await openStore(dir)
    const index = indexBytes(dir)
    await store.checkpoint('before step 1', {plan: 'p1', step: 1})
    writeFileSync(path.join(dir, 'a.txt'), '1\n')
    writeFileSync(path.join(dir, 'new.txt'), 'made by step 1\n')
    await store.checkpoint('before step 2', {plan: 'p1', step: 2, tokens: 1234})
    writeFileSync(path.join(dir, 'a.txt'), '2\n')

    const u1 = await store.undo()
    expect(u1!.checkpoint.label).toBe('before step 2')
    expect(u1!.checkpoint.meta).toMatchObject({plan: 'p1', step: '2', tokens: '1234'})
    expect(u1!.changed).toEqual([{status: 'M', path: 'a.txt'}])
    expect((await store.undo().then(async (u) => (await store.redo(), u)))!.changed).toEqual([{status: 'M', path: 'a.txt'}, {status: 'D', path: 'new.txt'}])
    expect(read(dir, 'a.txt')).toBe('1\n')
    expect(sh(dir, ['cat-file', '-p', `${u1!.redoRef}:a.txt`])).toBe('2')
    const u2 = await store.undo()
    expect(u2!.checkpoint.meta.step).toBe('1')
    expect(read(dir, 'a.txt')).toBe('0\n')
    expect(existsSync(path.join(dir, 'new.txt'))).toBe(false)
    expect(await store.undo()).toBeNull()
    fsck(dir)

    const r1 = await store.redo()
    expect(r1!.checkpoint.meta.step).toBe('1')
    expect(read(dir, 'a.txt')).toBe('1\n')
    expect(read(dir, 'new.txt')).toBe('made by step 1\n')
    const r2 = await store.redo()
    expect(r2!.checkpoint.meta.step).toBe('2')
    expect(read(dir, 'a.txt')).toBe('2\n')
    expect(await store.redo()).toBeNull()
    expect((await store.checkpoints()).map((c) => c.label)).toEqual(['before step 1', 'before step 2'])
    expect(indexBytes(dir)).toBe(index)
    fsck(dir)
  })

  it('a new checkpoint after an undo clears redo, archiving the undone state', async () => {
    const dir = repo({'a.txt': '0\n'})
    const store = await openStore(dir)
    await store.checkpoint('one')
    writeFileSync(path.join(dir, 'a.txt'), 'lost?\n')
    const u = await store.undo()
    await store.checkpoint('two')
    expect(await store.redo()).toBeNull()
    const archived = sh(dir, ['for-each-ref', '--format=%(objectname)', 'refs/parecode/archive/redo/'])
    expect(archived).toBe(u!.saved)
    // Numbers are never reused: "two" is 2 although 1 was undone, so `show 1` can never mean another run.
    expect((await store.checkpoints()).map((c) => c.seq)).toEqual([2])
    const run = await store.checkpoint('run: task', {kind: 'run', session: 's1'})
    expect(run.meta).toEqual({kind: 'run', session: 's1', seq: '3'})
    expect((await store.checkpoints())[1]!.meta).toEqual({kind: 'run', session: 's1', seq: '3'})
  })

  it('moves a recorded scratch branch back on undo and forward on redo, with compare-and-swap', async () => {
    const dir = repo({'a.txt': '0\n'})
    sh(dir, ['checkout', '-q', '-b', 'pare/p1'])
    const base = sh(dir, ['rev-parse', 'HEAD'])
    const store = await openStore(dir)
    await store.checkpoint('before step 1', {plan: 'p1', step: 1, branch: 'refs/heads/pare/p1'})
    writeFileSync(path.join(dir, 'a.txt'), '1\n')
    sh(dir, ['commit', '-q', '-am', 'step 1: change a'])
    const step = sh(dir, ['rev-parse', 'HEAD'])
    const u = await store.undo()
    expect(u!.checkpoint.meta.branchCommit).toBe(base)
    expect(u!.branch).toMatchObject({ref: 'refs/heads/pare/p1', from: step, to: base, moved: true})
    expect(sh(dir, ['rev-parse', 'HEAD'])).toBe(base)
    expect(read(dir, 'a.txt')).toBe('0\n')
    expect(sh(dir, ['status', '--porcelain'])).toBe('')
    const r = await store.redo()
    expect(r!.branch).toMatchObject({moved: true, to: step})
    expect(sh(dir, ['rev-parse', 'HEAD'])).toBe(step)
    expect(read(dir, 'a.txt')).toBe('1\n')
    expect(sh(dir, ['status', '--porcelain'])).toBe('')
    fsck(dir)
  })

  it('leaves a checked-out branch alone when the index has staged changes, with a warning', async () => {
    const dir = repo({'a.txt': '0\n', 'b.txt': 'b\n'})
    sh(dir, ['checkout', '-q', '-b', 'pare/p2'])
    const store = await openStore(dir)
    await store.checkpoint('before', {branch: 'refs/heads/pare/p2'})
    writeFileSync(path.join(dir, 'a.txt'), '1\n')
    sh(dir, ['commit', '-q', '-am', 'step'])
    const step = sh(dir, ['rev-parse', 'HEAD'])
    writeFileSync(path.join(dir, 'b.txt'), 'staged\n')
    sh(dir, ['add', 'b.txt'])
    const u = await store.undo()
    expect(u!.branch?.moved).toBe(false)
    expect(store.warnings.join('\n')).toMatch(/staged changes/)
    expect(sh(dir, ['rev-parse', 'HEAD'])).toBe(step)
  })

  it('finishes an interrupted undo when run again instead of stacking a second save', async () => {
    const dir = repo({'a.txt': '0\n'})
    const store = await openStore(dir)
    await store.checkpoint('cp')
    writeFileSync(path.join(dir, 'a.txt'), 'work\n')
    // Simulate a crash after the save was written but before the work tree was restored.
    const tree = await store.worktreeTree()
    const cp = (await store.checkpoints())[0]!
    const saved = await store.writeCommit(tree, [cp.commit], `undo: cp\n\nPare-Kind: redo\nPare-Checkpoint: ${cp.ref}\n`)
    await store.updateRef('refs/parecode/redo/00000001', saved, null)
    writeFileSync(path.join(dir, 'a.txt'), 'half-restored\n')
    const u = await store.undo()
    expect(u!.saved).toBe(saved)
    expect(read(dir, 'a.txt')).toBe('0\n')
    expect(sh(dir, ['for-each-ref', '--format=%(refname)', 'refs/parecode/redo/'])).toBe('refs/parecode/redo/00000001')
    await store.redo()
    expect(read(dir, 'a.txt')).toBe('work\n')
  })

  it('refuses while a merge is in progress, saying how to finish it', async () => {
    const dir = repo({'a.txt': '0\n'})
    sh(dir, ['checkout', '-q', '-b', 'other'])
    writeFileSync(path.join(dir, 'a.txt'), 'other\n')
    sh(dir, ['commit', '-q', '-am', 'other'])
    sh(dir, ['checkout', '-q', 'main'])
    writeFileSync(path.join(dir, 'a.txt'), 'main\n')
    sh(dir, ['commit', '-q', '-am', 'main'])
    try {
      sh(dir, ['merge', '-q', 'other'])
    } catch {}
    const store = await openStore(dir)
    await expect(store.checkpoint('x')).rejects.toThrow(/a merge is in progress/)
    await expect(store.undo()).rejects.toMatchObject({exitCode: 3, hint: expect.stringContaining('git merge --abort')})
  })
})
