import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {turn} from '../support/model-server.js'
import {runCliAsync, sh} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

const runCliAsyncTitle = (r: {stdout: string}) => JSON.parse(r.stdout).result.entries.map((e: {title: string}) => e.title)

// Several CLI calls each: generous on a busy machine (no timing is asserted).
const SLOW = 600_000

describe('git pare session', () => {
  it('lists, shows and rolls back a session with its work tree', async () => {
    const root = scopedRepo({'a.txt': 'one\n'})
    const server = await scopedServer([
      turn.tools([{name: 'write_file', args: {path: 'a.txt', content: 'two\n', overwrite: true}}]),
      turn.text('wrote two'),
      turn.tools([{name: 'write_file', args: {path: 'a.txt', content: 'three\n', overwrite: true}}]),
      turn.text('wrote three'),
    ])
    const env = {PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'm', PARECODE_API_KEY: 'k'}
    expect((await runCliAsync(['run', 'write two', '--no-hooks'], {cwd: root, env})).code).toBe(0)
    expect((await runCliAsync(['run', '--continue', 'now three', '--no-hooks'], {cwd: root, env})).code).toBe(0)
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('three\n')

    const list = await runCliAsync(['session', 'list'], {cwd: root})
    expect(list.code).toBe(0)
    // titled by its first task, not by its latest turn
    expect(list.stdout).toMatch(/2 turns\s+.*write two$/m)
    expect(runCliAsyncTitle(await runCliAsync(['log', '--json', '--kind', 'session'], {cwd: root}))).toEqual(['write two'])

    const show = await runCliAsync(['session', 'show', '--json'], {cwd: root})
    const shown = JSON.parse(show.stdout).result
    expect(shown.turns).toBe(2)
    expect(shown.messages.filter((m: {role: string}) => m.role === 'user').map((m: {content: string}) => m.content)).toEqual(['write two', 'now three'])

    const rb = await runCliAsync(['session', 'rollback', '1'], {cwd: root})
    expect(rb.code, rb.stderr).toBe(0)
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('two\n')
    expect(JSON.parse((await runCliAsync(['session', 'list', '--json'], {cwd: root})).stdout).result[0].turns).toBe(1)
    expect(sh(root, ['for-each-ref', '--format=%(refname)', 'refs/parecode/archive/sessions/'])).toMatch(/refs\/parecode\/archive\/sessions\//)
    expect(sh(root, ['fsck', '--strict'])).not.toMatch(/error/)
  }, SLOW)

  it('bad input: no sessions, unknown session, rolling back too far', async () => {
    const root = scopedRepo({'a.txt': 'x\n'})
    const none = await runCliAsync(['session', 'show'], {cwd: root})
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/no sessions yet/)
    const unknown = await runCliAsync(['session', 'show', 'nope'], {cwd: root})
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/no session "nope"/)
    const cont = await runCliAsync(['run', '--continue', 'yes'], {cwd: root, env: {PARECODE_BASE_URL: 'http://127.0.0.1:9/v1', PARECODE_MODEL: 'm'}})
    expect(cont.code).toBe(2)
    expect(cont.stderr).toMatch(/no session to continue/)
  }, SLOW)
})
