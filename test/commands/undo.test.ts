import {spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {gitEnv, makeRepo, projectRoot, removeDir, runCli, sh} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'
import {fsck, indexBytes, treeState} from '../core/store/helpers.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('git pare undo', () => {
  it('goes back to the checkpoint, marks the plan step pending, and --json pins the contract', () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    withStore(dir, `await store.writePlan('p1', 'id: p1\\ntask: t\\nstatus: done\\nsteps:\\n  - description: first\\n    status: done\\n', 'plan'); await store.checkpoint('before step 1', {plan: 'p1', step: 1})`)
    writeFileSync(path.join(dir, 'a.txt'), 'step 1\n')
    writeFileSync(path.join(dir, 'b.txt'), 'new\n')
    const index = indexBytes(dir)
    const res = runCli(['undo', '--json'], {cwd: dir})
    expect(res.code).toBe(0)
    const out = JSON.parse(res.stdout)
    expect(out).toMatchObject({
      status: 0,
      warnings: [],
      result: {checkpoint: {seq: 1, label: 'before step 1', meta: {plan: 'p1', step: '1'}}, branch: null, plan: {id: 'p1', step: 1, status: 'pending'}},
    })
    expect(out.result.changed).toEqual([{status: 'M', path: 'a.txt'}, {status: 'D', path: 'b.txt'}])
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('0\n')
    expect(sh(dir, ['cat-file', '-p', 'refs/parecode/plans/p1:plan.yaml'])).toBe('id: p1\ntask: t\nstatus: paused\nsteps:\n  - description: first\n    status: pending')
    expect(indexBytes(dir)).toBe(index)

    const redo = runCli(['redo'], {cwd: dir})
    expect(redo.code).toBe(0)
    expect(redo.stdout).toContain('redone: checkpoint 1: before step 1')
    expect(redo.stdout).toContain('step 1 is done again')
    expect(readFileSync(path.join(dir, 'b.txt'), 'utf8')).toBe('new\n')
    expect(sh(dir, ['cat-file', '-p', 'refs/parecode/plans/p1:plan.yaml'])).toBe('id: p1\ntask: t\nstatus: done\nsteps:\n  - description: first\n    status: done')
    fsck(dir)
  })

  it('says clearly when there is nothing to undo, outside a repo, and in a bare repo', () => {
    const dir = makeRepo()
    dirs.push(dir)
    const none = runCli(['undo'], {cwd: dir})
    expect(none.code).toBe(1)
    expect(none.stderr).toBe('error: nothing to undo: there are no checkpoints\nhint: checkpoints are made before each agent run and plan step\n')
    const outside = runCli(['undo'], {cwd: path.dirname(dir)})
    expect(outside.code).toBe(3)
    expect(outside.stderr).toMatch(/^error: not a git repository/)
    const bare = path.join(path.dirname(dir), `${path.basename(dir)}.git`)
    dirs.push(bare)
    sh(dir, ['clone', '-q', '--bare', dir, bare])
    const b = runCli(['undo', '--json'], {cwd: bare})
    expect(b.code).toBe(3)
    expect(JSON.parse(b.stdout).error.code).toBe('bare_repo')
  })

  it('refuses during a rebase, saying how to finish it', () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    withStore(dir, `await store.checkpoint('cp')`)
    sh(dir, ['checkout', '-q', '-b', 'topic'])
    writeFileSync(path.join(dir, 'a.txt'), 'topic\n')
    sh(dir, ['commit', '-q', '-am', 'topic'])
    sh(dir, ['checkout', '-q', 'main'])
    writeFileSync(path.join(dir, 'a.txt'), 'main\n')
    sh(dir, ['commit', '-q', '-am', 'main'])
    try {
      sh(dir, ['rebase', '-q', 'topic'])
    } catch {}
    const res = runCli(['undo'], {cwd: dir})
    expect(res.code).toBe(3)
    expect(res.stderr).toContain('a rebase is in progress')
    expect(res.stderr).toContain('git rebase --abort')
  })

  it('recovers when killed with SIGKILL in the middle of a restore: undo again, then redo', async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 1200; i++) files[`d${i % 40}/f${i}.txt`] = `original ${i}\n`.repeat(20)
    const dir = makeRepo(files)
    dirs.push(dir)
    withStore(dir, `await store.checkpoint('before the big change')`)
    const original = treeState(dir)
    for (let i = 0; i < 1200; i++) writeFileSync(path.join(dir, `d${i % 40}/f${i}.txt`), `changed ${i}\n`)
    writeFileSync(path.join(dir, 'extra.txt'), 'added\n')
    const changed = treeState(dir)

    // Own process group, so the kill takes git's children down with node, as a crash would.
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin/run.js'), 'undo'], {cwd: dir, env: {...process.env, ...gitEnv}, detached: true, stdio: 'ignore'})
    const exited = new Promise((r) => child.on('exit', r))
    let done = false
    void exited.then(() => (done = true))
    // Kill as soon as the restore has visibly started (or whenever the process gets that far).
    const started = () => {
      try {
        return readFileSync(path.join(dir, 'd0/f0.txt'), 'utf8').startsWith('original')
      } catch {
        return true
      }
    }
    while (!done && !started()) await new Promise((r) => setTimeout(r, 2))
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {}
    await exited
    fsck(dir)

    const again = runCli(['undo'], {cwd: dir})
    expect([0, 1]).toContain(again.code)
    expect(treeState(dir)).toEqual(original)
    fsck(dir)
    const redo = runCli(['redo'], {cwd: dir})
    expect(redo.code).toBe(0)
    expect(treeState(dir)).toEqual(changed)
    fsck(dir)
  })
})
