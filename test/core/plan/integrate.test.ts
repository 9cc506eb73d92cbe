import {describe, expect, it} from 'vitest'
import {mergeStepBranches} from '../../../src/core/plan/integrate.js'
import {openStore} from '../../../src/core/store/store.js'
import {sh, writeFiles} from '../../support/repo.js'
import {scopedRepo} from '../../support/scoped.js'

// A commit on its own branch from `from`, changing files, with a step-like message; the user's checkout stays on main.
function stepCommit(root: string, from: string, n: number, files: Record<string, string>): string {
  sh(root, ['switch', '-q', '--detach', from])
  writeFiles(root, files)
  sh(root, ['add', '-A'])
  sh(root, ['commit', '-q', '-m', `step ${n}: change\n\nPare-Step: ${n}`])
  const c = sh(root, ['rev-parse', 'HEAD'])
  sh(root, ['switch', '-q', 'main'])
  return c
}

describe('mergeStepBranches', () => {
  it('applies step commits in order as single-parent commits with their messages, without touching refs or the work tree', async () => {
    const root = scopedRepo({'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n'})
    const base = sh(root, ['rev-parse', 'HEAD'])
    const c1 = stepCommit(root, base, 1, {'a.txt': 'A\n'})
    const c2 = stepCommit(root, base, 2, {'b.txt': 'B\n'})
    const c3 = stepCommit(root, base, 3, {'c.txt': 'C\n', 'new.txt': 'n\n'})
    const store = await openStore(root)
    const res = await mergeStepBranches(store, base, [c1, c2, c3])
    expect('commit' in res).toBe(true)
    if (!('commit' in res)) return
    expect(sh(root, ['rev-list', '--count', `${base}..${res.commit}`])).toBe('3')
    expect(sh(root, ['rev-list', '--parents', '-n', '1', res.commit]).split(' ')).toHaveLength(2)
    // The first is a fast-forward (its parent is the base): the step's own commit.
    expect(sh(root, ['rev-parse', `${res.commit}~2`])).toBe(c1)
    expect(sh(root, ['log', '--format=%s', `${base}..${res.commit}`]).split('\n')).toEqual(['step 3: change', 'step 2: change', 'step 1: change'])
    expect(sh(root, ['show', `${res.commit}:a.txt`])).toBe('A')
    expect(sh(root, ['show', `${res.commit}:b.txt`])).toBe('B')
    expect(sh(root, ['show', `${res.commit}:new.txt`])).toBe('n')
    expect(sh(root, ['rev-parse', 'main'])).toBe(base)
    expect(sh(root, ['status', '--porcelain'])).toBe('')
    sh(root, ['fsck', '--strict'])
  })

  it('names the conflicting files and the commit that did not apply, with what applied before it', async () => {
    const root = scopedRepo({'a.txt': 'a\n', 'b.txt': 'b\n'})
    const base = sh(root, ['rev-parse', 'HEAD'])
    const c1 = stepCommit(root, base, 1, {'a.txt': 'one\n'})
    const c2 = stepCommit(root, base, 2, {'b.txt': 'B\n'})
    const c3 = stepCommit(root, base, 3, {'a.txt': 'three\n'})
    const store = await openStore(root)
    const res = await mergeStepBranches(store, base, [c1, c2, c3])
    expect(res).toMatchObject({conflict: ['a.txt'], at: c3})
    if (!('conflict' in res)) return
    expect(sh(root, ['show', `${res.applied}:b.txt`])).toBe('B')
    expect(sh(root, ['show', `${res.applied}:a.txt`])).toBe('one')
  })

  it('applies a commit whose parent is outside the integrated history as a cherry-pick of its own change', async () => {
    const root = scopedRepo({'a.txt': 'a\n', 'b.txt': 'b\n'})
    const base = sh(root, ['rev-parse', 'HEAD'])
    const side = stepCommit(root, base, 9, {'z.txt': 'z\n'})
    const c1 = stepCommit(root, side, 1, {'a.txt': 'A\n'})
    const store = await openStore(root)
    const res = await mergeStepBranches(store, base, [c1])
    if (!('commit' in res)) throw new Error('conflict')
    expect(sh(root, ['show', `${res.commit}:a.txt`])).toBe('A')
    expect(sh(root, ['ls-tree', '--name-only', res.commit])).not.toContain('z.txt')
    expect(sh(root, ['rev-parse', `${res.commit}^`])).toBe(base)
  })
})
