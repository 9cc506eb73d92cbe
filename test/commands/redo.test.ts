import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('git pare redo', () => {
  it('brings back the undone state, keeping edits made since the undo in a snapshot', () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    withStore(dir, `await store.checkpoint('cp')`)
    writeFileSync(path.join(dir, 'a.txt'), 'agent work\n')
    expect(runCli(['undo'], {cwd: dir}).code).toBe(0)
    writeFileSync(path.join(dir, 'mine.txt'), 'typed after the undo\n')
    const res = runCli(['redo', '--json'], {cwd: dir})
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout).result).toMatchObject({checkpoint: {seq: 1, label: 'cp'}, changed: [{status: 'M', path: 'a.txt'}, {status: 'D', path: 'mine.txt'}], plan: null})
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('agent work\n')
    expect(withStore(dir, `const s = (await store.ctx.run(['for-each-ref', '--format=%(objectname)', 'refs/parecode/snapshots/'])).stdout.trim().split('\\n').pop(); console.log(await store.readText(s + ':mine.txt'))`)).toBe('typed after the undo')
    const again = runCli(['redo'], {cwd: dir})
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/^error: nothing to redo\n/)
  })
})
