import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {abortPlan} from '../../../src/core/plan/abort.js'
import {savePlan} from '../../../src/core/plan/plan-store.js'
import type {Plan} from '../../../src/core/plan/schema.js'
import {commitWorkTree, startScratchBranch} from '../../../src/core/plan/scratch-branch.js'
import {openStore} from '../../../src/core/store/index.js'
import {recordUncommitted} from '../../../src/core/store/uncommitted.js'
import {makeRepo, removeDir, sh} from '../../support/repo.js'

const plan = (id: string): Plan => ({
  id,
  task: 'shout',
  status: 'draft',
  created_at: '2026-01-01T00:00:00.000Z',
  steps: [{description: 'd', instruction: 'i', files: ['a.txt'], verify: {type: 'none'}, tool_budget: 3, status: 'pending', approved: true}],
})

describe('abortPlan after a start that was cut short', () => {
  it('a kill between making pare/<id> and saving the plan: abort still finds the record and gives the work back', async () => {
    const root = makeRepo({'a.txt': 'a\n'})
    onTestFinished(() => removeDir(root))
    const store = await openStore(root)
    await savePlan(store, plan('p1'), 'plan', null)
    await store.setActivePlan('p1')
    writeFileSync(path.join(root, 'a.txt'), 'mine\n')
    writeFileSync(path.join(root, 'new.txt'), 'untracked\n')
    const before = sh(root, ['status', '--porcelain=v2', '--untracked-files=all'])
    // What `git pare step` does first, without the plan.yaml update that would follow.
    await recordUncommitted(store.ctx, 'p1')
    await startScratchBranch(store, 'p1')
    await commitWorkTree(store, 'pare/p1', 'pare: uncommitted changes before plan p1\n')
    expect(sh(root, ['status', '--porcelain'])).toBe('')
    const res = await abortPlan(store)
    expect(res).toMatchObject({plan: 'p1', base: 'main', branch: 'pare/p1', switched: true, uncommitted: {status: 'restored'}})
    expect(sh(root, ['symbolic-ref', '--short', 'HEAD'])).toBe('main')
    expect(sh(root, ['status', '--porcelain=v2', '--untracked-files=all'])).toBe(before)
  })
})
