import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli, runCliAsync} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'
import {turn} from '../support/model-server.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('one numbering for log, show, diff and undo', () => {
  it('two runs: show 1 is what the first run changed, show 2 the second; log, diff and undo agree', async () => {
    const root = scopedRepo({'x.txt': 'x0\n', 'y.txt': 'y0\n'})
    const server = await scopedServer([
      turn.tools([{name: 'write_file', args: {path: 'x.txt', content: 'x1\n', overwrite: true}}]),
      turn.text('edited x'),
      turn.tools([{name: 'write_file', args: {path: 'y.txt', content: 'y1\n', overwrite: true}}]),
      turn.text('edited y'),
    ])
    const env = {PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'k'}
    const first = await runCliAsync(['run', 'edit x', '--no-hooks', '--json'], {cwd: root, env})
    expect(JSON.parse(first.stdout).result.checkpoint.seq).toBe(1)
    const second = await runCliAsync(['run', 'edit y', '--no-hooks', '--json'], {cwd: root, env})
    expect(JSON.parse(second.stdout).result.checkpoint.seq).toBe(2)
    const show1 = await runCliAsync(['show', '1', '--stat'], {cwd: root})
    expect(show1.stdout).toMatch(/^checkpoint 1: run: edit x\n/)
    expect(show1.stdout).toContain(' x.txt | 2 +-')
    expect(show1.stdout).not.toContain('y.txt')
    const show2 = JSON.parse((await runCliAsync(['show', '2', '--json'], {cwd: root})).stdout).result
    expect(show2).toMatchObject({seq: 2, label: 'run: edit y', outcome: 'done', compared_with: 'after', files: [{status: 'M', path: 'y.txt'}]})
    expect(show2.patch).toContain('+y1')
    const log = (await runCliAsync(['log', '--kind', 'checkpoint'], {cwd: root})).stdout.trim().split('\n')
    expect(log.map((l) => l.split('  ').slice(0, 2).join('  '))).toEqual(['checkpoint 2  run: edit y', 'checkpoint 1  run: edit x'])
    // diff N: checkpoint N against the work tree now (both runs' changes since checkpoint 1)
    const diff1 = JSON.parse((await runCliAsync(['diff', '1', '--stat', '--json'], {cwd: root})).stdout).result
    expect(diff1.files).toEqual([{status: 'M', path: 'x.txt'}, {status: 'M', path: 'y.txt'}])
    const undo = await runCliAsync(['undo'], {cwd: root})
    expect(undo.stdout).toMatch(/^undone to checkpoint 2: run: edit y .*\n {2}M y\.txt\n/)
    // the help says so, in each of them
    for (const cmd of ['log', 'show', 'diff', 'undo']) expect(runCli([cmd, '--help'], {cwd: root}).stdout.replace(/\s+/g, ' ')).toContain('Checkpoint N is the work tree as it was before run (or plan step) N')
  }, 600_000)
})

describe('git pare show', () => {
  it('without a recorded end, shows what happened after a checkpoint up to the next one (or the work tree)', () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    withStore(dir, `await store.checkpoint('first', {plan: 'p', step: 1})`)
    writeFileSync(path.join(dir, 'a.txt'), '1\n')
    writeFileSync(path.join(dir, 'b.txt'), 'b\n')
    withStore(dir, `await store.checkpoint('second', {plan: 'p', step: 2})`)
    const res = runCli(['show', '1'], {cwd: dir})
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^checkpoint 1: first\n[0-9a-f]{40} {2}\d+s ago {2}plan p, step 1\n\n/)
    expect(res.stdout).toContain(' 2 files changed, 2 insertions(+), 1 deletion(-)')
    expect(res.stdout).toContain('no end recorded: up to the next checkpoint')
    expect(res.stdout).toContain('+++ b/b.txt')
    const json = JSON.parse(runCli(['show', '1', '--stat', '--json'], {cwd: dir}).stdout)
    expect(json.result).toMatchObject({seq: 1, label: 'first', compared_with: 'next', outcome: null, files: [{status: 'M', path: 'a.txt'}, {status: 'A', path: 'b.txt'}]})
    expect(json.result.patch).toBeUndefined()
    // The newest has nothing after it yet: compared with the work tree.
    writeFileSync(path.join(dir, 'c.txt'), 'c\n')
    const top = JSON.parse(runCli(['show', '2', '--stat', '--json'], {cwd: dir}).stdout).result
    expect(top).toMatchObject({seq: 2, compared_with: 'worktree', files: [{status: 'A', path: 'c.txt'}]})
  })

  it('names an unknown checkpoint clearly', () => {
    const dir = makeRepo()
    dirs.push(dir)
    const res = runCli(['show', '7'], {cwd: dir})
    expect(res.code).toBe(2)
    expect(res.stderr).toBe('error: no checkpoint "7"\nhint: see `git pare log` for checkpoints\n')
  })
})
