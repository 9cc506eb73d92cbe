import {createHash} from 'node:crypto'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {turn, type ScriptedServer} from '../support/model-server.js'
import {runCliAsync, sh} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'
import {fsck, treeState} from '../core/store/helpers.js'

// Several CLI calls each on a busy machine: generous, and nothing is timed.
const SLOW = 600_000
const env = (server: ScriptedServer) => ({PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test-key'})
const hashes = (root: string) => Object.fromEntries(Object.entries(treeState(root)).map(([k, v]) => [k, createHash('sha256').update(v).digest('hex')]))
const cli = (root: string, ...args: string[]) => runCliAsync(args, {cwd: root})

describe('undo after you edited: your work is never overwritten silently', () => {
  it('refuses naming your files (exit 3); --force keeps them as a checkpoint that log lists and show prints; redo and undo go on', async () => {
    const root = scopedRepo({'x.txt': 'original\n', 'README.md': '# demo\n'})
    const server = await scopedServer([turn.tools([{name: 'write_file', args: {path: 'x.txt', content: 'by the agent\n', overwrite: true}}]), turn.text('rewrote x.txt')])
    const before = hashes(root)
    const run = await runCliAsync(['run', 'rewrite x', '--no-hooks'], {cwd: root, env: env(server)})
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('checkpoint 1 (git pare show 1; undo: git pare undo)')
    // the user's own work, after the run: a new file and an edit
    writeFileSync(path.join(root, 'mine.txt'), 'my notes\n')
    writeFileSync(path.join(root, 'README.md'), '# demo\nmine too\n')
    const edited = hashes(root)
    const refs = sh(root, ['for-each-ref'])

    const refused = await cli(root, 'undo')
    expect(refused.code).toBe(3)
    expect(refused.stderr).toBe('error: undoing checkpoint 1 would overwrite changes git pare did not make: README.md, mine.txt\nhint: `git pare undo --force` keeps them as checkpoint 2, then goes ahead\n')
    expect(hashes(root)).toEqual(edited)
    expect(sh(root, ['for-each-ref'])).toBe(refs)
    const json = JSON.parse((await cli(root, 'undo', '--json')).stdout)
    expect(json).toEqual({status: 3, error: {code: 'user_changes', message: expect.stringContaining('README.md, mine.txt'), hint: expect.stringContaining('checkpoint 2')}, warnings: []})

    const forced = await cli(root, 'undo', '--force')
    expect(forced.code, forced.stderr).toBe(0)
    expect(forced.stdout).toMatch(/^kept your changes \(README\.md, mine\.txt\) as checkpoint 2 \([0-9a-f]{7}\): see them with `git pare show 2`\nundone to checkpoint 1: run: rewrite x/)
    expect(hashes(root)).toEqual(before)
    expect(existsSync(path.join(root, 'mine.txt'))).toBe(false)
    expect(sh(root, ['cat-file', '-p', 'refs/parecode/checkpoints/00000002:mine.txt'])).toBe('my notes')
    const log = await cli(root, 'log')
    expect(log.stdout).toMatch(/^checkpoint 2 {2}kept: your changes before undoing checkpoint 1 {2}\[kept\]/m)
    // show 2 is exactly your changes (not the agent's x.txt)
    const shown = JSON.parse((await cli(root, 'show', '2', '--stat', '--json')).stdout).result
    expect(shown).toMatchObject({seq: 2, compared_with: 'kept', files: [{status: 'M', path: 'README.md'}, {status: 'A', path: 'mine.txt'}]})
    fsck(root)

    // redo brings back everything (the run's change and yours); undo then sees your work is kept and goes ahead
    const redo = await cli(root, 'redo')
    expect(redo.code, redo.stderr).toBe(0)
    expect(hashes(root)).toEqual(edited)
    const again = await cli(root, 'undo', '--json')
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout).result.kept).toBeNull()
    expect(hashes(root)).toEqual(before)
    fsck(root)
  }, SLOW)

  it('undo goes ahead without asking when the work tree is what the run left, and a run that changed nothing is no obstacle', async () => {
    const root = scopedRepo({'x.txt': 'original\n'})
    const server = await scopedServer([turn.tools([{name: 'write_file', args: {path: 'x.txt', content: 'agent\n', overwrite: true}}]), turn.text('done')])
    expect((await runCliAsync(['run', 'do it', '--no-hooks'], {cwd: root, env: env(server)})).code).toBe(0)
    const res = await cli(root, 'undo')
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toBe('undone to checkpoint 1: run: do it (session ' + res.stdout.split('(session ')[1]!.split(')')[0] + ')\n  M x.txt\nundo this with `git pare redo`\n')
    expect(readFileSync(path.join(root, 'x.txt'), 'utf8')).toBe('original\n')
    const none = await cli(root, 'undo', '--json')
    expect(none.code).toBe(1)
    expect(JSON.parse(none.stdout).error.code).toBe('nothing_to_undo')
  }, SLOW)

  it('session rollback refuses to overwrite your edits; --force keeps them as a checkpoint', async () => {
    const root = scopedRepo({'a.txt': 'one\n'})
    const server = await scopedServer([
      turn.tools([{name: 'write_file', args: {path: 'a.txt', content: 'two\n', overwrite: true}}]),
      turn.text('wrote two'),
      turn.tools([{name: 'write_file', args: {path: 'a.txt', content: 'three\n', overwrite: true}}]),
      turn.text('wrote three'),
    ])
    expect((await runCliAsync(['run', 'write two', '--no-hooks'], {cwd: root, env: env(server)})).code).toBe(0)
    expect((await runCliAsync(['run', '--continue', 'now three', '--no-hooks'], {cwd: root, env: env(server)})).code).toBe(0)
    writeFileSync(path.join(root, 'mine.txt'), 'mine\n')
    const edited = hashes(root)
    const refused = await cli(root, 'session', 'rollback', '1')
    expect(refused.code).toBe(3)
    expect(refused.stderr).toMatch(/^error: rolling session \S+ back would overwrite changes git pare did not make: mine\.txt\nhint: `git pare session rollback 1 --force` keeps them as checkpoint 3, then goes ahead/)
    expect(hashes(root)).toEqual(edited)
    expect(JSON.parse((await cli(root, 'session', 'list', '--json')).stdout).result[0].turns).toBe(2)

    const forced = await cli(root, 'session', 'rollback', '1', '--force', '--json')
    expect(forced.code, forced.stderr).toBe(0)
    expect(JSON.parse(forced.stdout).result).toMatchObject({turn: 1, kept: {seq: 3, files: 'mine.txt'}})
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('two\n')
    expect(existsSync(path.join(root, 'mine.txt'))).toBe(false)
    expect(sh(root, ['cat-file', '-p', 'refs/parecode/checkpoints/00000003:mine.txt'])).toBe('mine')
    fsck(root)
  }, SLOW)
})
