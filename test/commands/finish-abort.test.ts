import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type ScriptedServer, type Turn} from '../support/model-server.js'
import {removeDir, runCliAsync, sh, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

const PLAN = {
  task: 'shout',
  steps: [
    {description: 'Shout a', instruction: 'Uppercase a.txt', files: ['a.txt'], verify: {type: 'file_changed'}, tool_budget: 3},
    {description: 'Shout b', instruction: 'Uppercase b.txt', files: ['b.txt'], verify: {type: 'file_changed'}, tool_budget: 3},
  ],
}

function policy(r: RecordedRequest): Turn {
  const msgs = r.body.messages as Array<{role: string; content: string}>
  if (msgs[0]!.content.startsWith('You plan code changes')) return turn.text(JSON.stringify(PLAN))
  if (msgs.some((m) => m.role === 'tool')) return turn.text('ok')
  const file = msgs[1]!.content.includes('Uppercase a.txt') ? 'a.txt' : 'b.txt'
  return turn.tools([{name: 'write_file', args: {path: file, content: `${file.toUpperCase()}\n`, overwrite: true}}])
}


async function planned(): Promise<{dir: string; server: ScriptedServer}> {
  const root = scopedRepo({'a.txt': 'a\n', 'b.txt': 'b\n'})
  const server = await scopedServer(policy)
  // One user across the calls: `plan --yes` approves the steps for them, locally.
  const home = tempDir('pare-home-')
  onTestFinished(() => removeDir(home))
  const env = {PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'm', PARECODE_API_KEY: 'k', HOME: home}
  expect((await runCliAsync(['plan', 'shout', '--yes', '--no-hooks'], {cwd: root, env})).code).toBe(0)
  expect((await runCliAsync(['step', '--all', '--no-hooks'], {cwd: root, env})).code).toBe(0)
  return {dir: root, server}
}

describe('git pare finish --merge and git pare abort', () => {
  it('--merge keeps the step commits under a merge commit', async () => {
    const {dir, server} = await planned()
    const res = await runCliAsync(['finish', '--merge', '--json'], {cwd: dir})
    expect(res.code, res.stderr).toBe(0)
    expect(JSON.parse(res.stdout).result.mode).toBe('merge')
    expect(sh(dir, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main')
    expect(sh(dir, ['log', '--format=%s', 'main'])).toMatch(/^shout\nstep 2: Shout b\nstep 1: Shout a\ninitial$/)
    expect(sh(dir, ['rev-list', '--parents', '-1', 'main']).split(' ')).toHaveLength(3)
    expect(readFileSync(path.join(dir, 'b.txt'), 'utf8')).toBe('B.TXT\n')
    // the plan is finished: no active plan any more
    const step = await runCliAsync(['step'], {cwd: dir, env: {PARECODE_BASE_URL: 'http://127.0.0.1:9/v1', PARECODE_MODEL: 'm'}})
    expect(step.stderr).toMatch(/no active plan/)
  })

  it('abort switches back and leaves the scratch branch; the base branch is untouched', async () => {
    const {dir, server} = await planned()
    const before = sh(dir, ['rev-parse', 'main'])
    const res = await runCliAsync(['abort'], {cwd: dir})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toMatch(/left for inspection/)
    expect(sh(dir, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main')
    expect(sh(dir, ['rev-parse', 'main'])).toBe(before)
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('a\n')
    expect(sh(dir, ['log', '--format=%s', '-1', sh(dir, ['for-each-ref', '--format=%(refname)', 'refs/heads/pare/'])])).toBe('step 2: Shout b')
  })

  it('finish with uncommitted changes refuses and changes nothing', async () => {
    const {dir, server} = await planned()
    sh(dir, ['config', 'core.autocrlf', 'false'])
    writeFileSync(path.join(dir, 'a.txt'), 'dirty\n')
    const res = await runCliAsync(['finish'], {cwd: dir})
    expect(res.code).toBe(3)
    expect(res.stderr).toMatch(/uncommitted changes/)
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('dirty\n')
  })
})

describe('git pare plan while a plan is in progress', () => {
  it('refuses before any model call and points to finish or abort', async () => {
    const {dir, server} = await planned()
    const before = server.chatRequests().length
    const res = await runCliAsync(['plan', 'something else'], {cwd: dir, env: {PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'm', PARECODE_API_KEY: 'k'}})
    expect(res.code).toBe(3)
    expect(res.stderr).toMatch(/is in progress on pare\//)
    expect(res.stderr).toMatch(/git pare finish.*git pare abort/)
    expect(server.chatRequests()).toHaveLength(before)
    expect((await runCliAsync(['abort'], {cwd: dir})).code).toBe(0)
    const again = await runCliAsync(['plan', 'shout', '--no-hooks'], {cwd: dir, env: {PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'm', PARECODE_API_KEY: 'k'}})
    expect(again.code, again.stderr).toBe(0)
  })
})
