import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {removeDir, runCliAsync, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// A step that retries makes many requests in one process, some of them retried by the client after a 500. Nothing
// may pile up per request or per attempt: Node warns at the 11th listener on one signal or emitter.

const PLAN = {task: 'shout', steps: [{description: 'Shout a', instruction: 'Uppercase a.txt', files: ['a.txt'], verify: {type: 'file_changed', path: 'a.txt'}, tool_budget: 8}]}

describe('a step that retries', () => {
  it('makes more than ten requests in one process without a MaxListenersExceededWarning; writing a file as it was changes nothing and fails the check', async () => {
    let n = 0
    const policy = (r: RecordedRequest): Turn => {
      const msgs = r.body.messages as Array<{role: string; content: string | null}>
      if (String(msgs[0]?.content).startsWith('You plan code changes')) return turn.text(JSON.stringify(PLAN))
      if (++n % 4 === 0) return turn.serverError(500)
      const calls = msgs.filter((m) => m.role === 'tool').length
      if (calls >= 6) return turn.text('done')
      // The model "edits" the file by writing what is already there: a step that changes nothing.
      return turn.tools([calls % 2 ? {name: 'read_file', args: {path: 'a.txt'}} : {name: 'write_file', args: {path: 'a.txt', content: 'a\n', overwrite: true}}])
    }
    const root = scopedRepo({'a.txt': 'a\n'})
    const server = await scopedServer(policy)
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'm', PARECODE_API_KEY: 'k', NODE_OPTIONS: ''}
    expect((await runCliAsync(['plan', 'shout', '--yes', '--no-hooks'], {cwd: root, env, timeoutMs: 300_000})).code).toBe(0)
    const before = server.chatRequests().length
    const res = await runCliAsync(['step', '--no-hooks'], {cwd: root, env, timeoutMs: 300_000})
    expect(res.code, res.stderr).toBe(1)
    expect(server.chatRequests().length - before).toBeGreaterThan(12)
    expect(res.stderr).toContain('step 1 (retry 1)')
    expect(res.stderr).not.toMatch(/MaxListenersExceededWarning|memory leak|\(node:\d+\) /)
    expect(res.stdout).toMatch(/✗ step 1: Shout a · verify file_changed a\.txt: no/)
    expect(res.stdout).toContain('plan paused at step 1')
  }, 600_000)
})
