import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {openStore} from '../../../src/core/store/index.js'
import {makeRepo, removeDir, sh} from '../../support/repo.js'
import {fsck} from './helpers.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})
const repo = () => {
  const d = makeRepo({'a.txt': '0\n'})
  dirs.push(d)
  return d
}

describe('plans', () => {
  it('keeps plan.yaml as a commit chain, with an active pointer and compare-and-swap writes', async () => {
    const dir = repo()
    const store = await openStore(dir)
    expect(await store.readPlan('p1')).toBeNull()
    const c1 = await store.writePlan('p1', 'task: one\nsteps: []\n', 'plan: created')
    const c2 = await store.writePlan('p1', 'task: one\nstatus: running\n', 'plan: running')
    expect(await store.readPlan('p1')).toEqual({id: 'p1', yaml: 'task: one\nstatus: running\n', commit: c2})
    expect(sh(dir, ['rev-parse', `${c2}^`])).toBe(c1)
    expect(sh(dir, ['log', '--format=%s', 'refs/parecode/plans/p1'])).toBe('plan: running\nplan: created')
    await expect(store.writePlan('p1', 'x: 1\n', 'stale', c1)).rejects.toMatchObject({code: 'ref_conflict'})
    await expect(store.writePlan('../evil', 'x', 'm')).rejects.toMatchObject({exitCode: 2})

    expect(await store.activePlan()).toBeNull()
    await store.setActivePlan('p1')
    expect(await store.activePlan()).toBe('p1')
    expect(sh(dir, ['symbolic-ref', 'refs/parecode/active'])).toBe('refs/parecode/plans/p1')
    await expect(store.setActivePlan('nope')).rejects.toThrow(/no plan "nope"/)
    await store.setActivePlan(null)
    expect(await store.activePlan()).toBeNull()
    await store.writePlan('p2', 'task: two\n', 'plan: created')
    // A ref lock left by a killed git under refs/parecode is cleared; others are not ours to touch.
    writeFileSync(path.join(dir, '.git/refs/parecode/plans/p2.lock'), '')
    await store.writePlan('p2', 'task: two\nv: 2\n', 'plan: again')
    expect(await store.readPlan('p2')).toMatchObject({yaml: 'task: two\nv: 2\n'})
    expect((await store.listPlans()).map((p) => p.id).sort()).toEqual(['p1', 'p2'])
    fsck(dir)
  })
})

describe('sessions', () => {
  it('stores one commit per turn with chat.jsonl, meta.yaml and work; rolls back keeping turns reachable', async () => {
    const dir = repo()
    const store = await openStore(dir)
    const t1 = await store.appendTurn('s1', {chat: '{"role":"user","content":"hi"}\n', meta: 'title: hello\n', workTree: true})
    writeFileSync(path.join(dir, 'a.txt'), 'turn 2\n')
    const t2 = await store.appendTurn('s1', {chat: '{"role":"user","content":"hi"}\n{"role":"assistant","content":"yo"}\n', meta: 'title: hello\n', workTree: true})
    writeFileSync(path.join(dir, 'a.txt'), 'turn 3\n')
    await store.appendTurn('s1', {chat: 'c3\n', meta: 'title: hello\n', workTree: true})
    expect([t1.turn, t2.turn]).toEqual([1, 2])
    expect(sh(dir, ['ls-tree', '--name-only', t2.commit]).split('\n')).toEqual(['chat.jsonl', 'meta.yaml', 'work'])
    const s = await store.readSession('s1', {turn: 2})
    expect(s).toMatchObject({turn: 2, turns: 3, commit: t2.commit, meta: 'title: hello\n'})
    expect(s!.chat.split('\n')).toHaveLength(3)
    expect((await store.listSessions())[0]).toMatchObject({id: 's1', turns: 3})
    await expect(store.readSession('s1', {turn: 9})).rejects.toThrow(/turns 1\.\.3/)

    const tip = sh(dir, ['rev-parse', 'refs/parecode/sessions/s1'])
    const rb = await store.rollbackSession('s1', 2)
    expect(rb.turn).toBe(1)
    expect(sh(dir, ['rev-parse', 'refs/parecode/sessions/s1'])).toBe(t1.commit)
    expect(sh(dir, ['rev-parse', rb.archived])).toBe(tip)
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('0\n')
    // The rollback of the work tree is itself undoable.
    expect(sh(dir, ['cat-file', '-p', `${rb.restore!.before.commit}:a.txt`])).toBe('turn 3')
    await expect(store.rollbackSession('s1', 1)).rejects.toMatchObject({exitCode: 2})
    const t = await store.appendTurn('s1', {chat: 'new branch of talk\n', meta: ''})
    expect(t.turn).toBe(2)
    fsck(dir)
  })
})

describe('gc', () => {
  it('prunes snapshots and checkpoints past the retention count, never ones a plan still needs', async () => {
    const dir = repo()
    const store = await openStore(dir)
    await store.writePlan('keepme', 'task: x\n', 'plan')
    await store.checkpoint('plan step', {plan: 'keepme', step: 1})
    await store.checkpoint('gone plan step', {plan: 'deleted-plan', step: 1})
    for (let i = 0; i < 4; i++) {
      writeFileSync(path.join(dir, 'a.txt'), `${i}\n`)
      await store.snapshot()
      await store.checkpoint(`cp ${i}`)
    }
    const res = await store.gc({keep: 2})
    const left = sh(dir, ['for-each-ref', '--format=%(refname)', 'refs/parecode/checkpoints/']).split('\n')
    expect(left).toEqual(['refs/parecode/checkpoints/00000001', 'refs/parecode/checkpoints/00000005', 'refs/parecode/checkpoints/00000006'])
    expect(res.protected).toEqual(['refs/parecode/checkpoints/00000001'])
    expect(sh(dir, ['for-each-ref', '--format=%(refname)', 'refs/parecode/snapshots/']).split('\n')).toHaveLength(2)
    expect(res.deleted).toHaveLength(5)
    expect(sh(dir, ['rev-parse', 'refs/parecode/plans/keepme'])).toMatch(/^[0-9a-f]{40}$/)
    fsck(dir)
  })
})
