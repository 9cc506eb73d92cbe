import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli, sh} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'
import {fsck, treeState} from '../core/store/helpers.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('git pare redo', () => {
  it('refuses to overwrite what you wrote after the undo; --force keeps it as a checkpoint, then redoes', () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    withStore(dir, `await store.checkpoint('cp')`)
    writeFileSync(path.join(dir, 'a.txt'), 'agent work\n')
    expect(runCli(['undo'], {cwd: dir}).code).toBe(0)
    writeFileSync(path.join(dir, 'mine.txt'), 'typed after the undo\n')
    const before = treeState(dir)
    const refs = sh(dir, ['for-each-ref'])

    const refused = runCli(['redo'], {cwd: dir})
    expect(refused.code).toBe(3)
    expect(refused.stderr).toBe('error: redoing checkpoint 1 would overwrite changes git pare did not make: mine.txt\nhint: `git pare redo --force` keeps them as checkpoint 2, then goes ahead\n')
    expect(treeState(dir)).toEqual(before)
    expect(sh(dir, ['for-each-ref'])).toBe(refs)
    const json = JSON.parse(runCli(['redo', '--json'], {cwd: dir}).stdout)
    expect(json).toMatchObject({status: 3, error: {code: 'user_changes'}})

    const res = runCli(['redo', '--force', '--json'], {cwd: dir})
    expect(res.code, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout)
    expect(out.result).toMatchObject({checkpoint: {seq: 1, label: 'cp'}, changed: [{status: 'M', path: 'a.txt'}, {status: 'D', path: 'mine.txt'}], plan: null, kept: {seq: 2, files: 'mine.txt'}})
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('agent work\n')
    expect(existsSync(path.join(dir, 'mine.txt'))).toBe(false)
    expect(sh(dir, ['cat-file', '-p', 'refs/parecode/checkpoints/00000002:mine.txt'])).toBe('typed after the undo')
    // log lists it, and show prints exactly what it kept
    const log = JSON.parse(runCli(['log', '--json', '--kind', 'checkpoint'], {cwd: dir}).stdout).result.entries
    expect(log.map((e: {id: string; meta: {kind?: string}}) => [e.id, e.meta.kind ?? ''])).toEqual([['2', 'kept'], ['1', '']])
    expect(runCli(['log'], {cwd: dir}).stdout).toMatch(/^checkpoint 2 {2}kept: your changes before redoing checkpoint 1 .*\[kept\]/m)
    const shown = JSON.parse(runCli(['show', '2', '--stat', '--json'], {cwd: dir}).stdout).result
    expect(shown).toMatchObject({compared_with: 'kept', files: [{status: 'A', path: 'mine.txt'}]})
    fsck(dir)

    const again = runCli(['redo'], {cwd: dir})
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/^error: nothing to redo\n/)
    expect(JSON.parse(runCli(['redo', '--json'], {cwd: dir}).stdout).error.code).toBe('nothing_to_redo')
  })

  it('redoes without asking when the work tree is what the undo left', () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    withStore(dir, `await store.checkpoint('cp')`)
    writeFileSync(path.join(dir, 'a.txt'), 'agent work\n')
    expect(runCli(['undo'], {cwd: dir}).code).toBe(0)
    const res = runCli(['redo'], {cwd: dir})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toBe('redone: checkpoint 1: cp\n  M a.txt\n')
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('agent work\n')
  })
})
