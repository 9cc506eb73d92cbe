import {execFileSync} from 'node:child_process'
import {readFileSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {turn} from '../support/model-server.js'
import {gitEnv, runCliAsync, sh} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'
import {fsck, treeState} from '../core/store/helpers.js'

// Our own look at the repository must not refresh the index either.
const status = (root: string) => execFileSync('git', ['status', '--porcelain=v2', '--untracked-files=all'], {cwd: root, env: {...process.env, ...gitEnv, GIT_OPTIONAL_LOCKS: '0'}, encoding: 'utf8'})
const index = (root: string) => {
  const file = path.join(root, '.git', 'index')
  return {bytes: readFileSync(file).toString('base64'), mtime: statSync(file).mtimeMs}
}

describe('git pare never writes your index', () => {
  it('.git/index stays byte-identical, mtime included, through run, undo and redo on a dirty repository', async () => {
    const root = scopedRepo({'tracked.txt': 'one\n', 'staged.txt': 'a\n', 'stale.txt': 'same\n'})
    writeFileSync(path.join(root, 'tracked.txt'), 'one, modified\n')
    writeFileSync(path.join(root, 'staged.txt'), 'a, staged\n')
    sh(root, ['add', 'staged.txt'])
    writeFileSync(path.join(root, 'untracked.txt'), 'mine\n')
    // Same content, another mtime: a plain `git status` would refresh this entry and rewrite the index.
    utimesSync(path.join(root, 'stale.txt'), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'))
    const before = index(root)
    const startStatus = status(root)
    const startTree = treeState(root)

    const server = await scopedServer([turn.tools([{name: 'write_file', args: {path: 'agent.txt', content: 'from the agent\n'}}]), turn.text('done')])
    const run = await runCliAsync(['run', 'add a file', '--no-hooks'], {cwd: root, env: {PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'm', PARECODE_API_KEY: 'k'}})
    expect(run.code, run.stderr).toBe(0)
    expect(index(root)).toEqual(before)
    const afterRun = treeState(root)
    expect(afterRun['agent.txt']).toBeDefined()

    expect((await runCliAsync(['undo'], {cwd: root})).code).toBe(0)
    expect(index(root)).toEqual(before)
    expect(treeState(root)).toEqual(startTree)
    expect(status(root)).toBe(startStatus)

    expect((await runCliAsync(['redo'], {cwd: root})).code).toBe(0)
    expect(index(root)).toEqual(before)
    expect(treeState(root)).toEqual(afterRun)
    fsck(root)
  }, 600_000)
})
