import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {teamRemote} from '../support/remote-refs.js'
import {removeDir, runCliAsync, sh, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// A worker's step branch goes to the remote only after the same secret scan `git pare push` makes.
type Msg = {role: string; content: string | null}
const secret = ['AKIA', 'Q'.repeat(16)].join('')
const plan = {task: 'configure', steps: [{description: 'Set the key', instruction: 'Write the key into a.txt.', files: ['a.txt'], verify: {type: 'file_changed', path: 'a.txt'}, tool_budget: 4}]}

function policy(r: RecordedRequest): Turn {
  const msgs = r.body.messages as Msg[]
  if (String(msgs[0]?.content).startsWith('You plan code changes')) return turn.text(JSON.stringify(plan))
  if (msgs.some((m) => m.role === 'tool')) return turn.text('done')
  return turn.tools([{name: 'edit_file', args: {path: 'a.txt', old_str: 'alpha', new_str: `aws_access_key_id = ${secret}`}}])
}

describe('git pare work and secrets', () => {
  it('a step whose change holds a secret is recorded as failed and its branch never reaches the remote', async () => {
    const first = scopedRepo({'a.txt': 'alpha\n', 'README.md': '# demo\n'})
    const {bare} = teamRemote(first)
    const server = await scopedServer(policy)
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test'}
    const cli = (...args: string[]) => runCliAsync(args, {cwd: first, env, timeoutMs: 300_000})
    const made = await cli('plan', 'configure', '--yes', '--no-hooks', '--json')
    expect(made.code, made.stderr).toBe(0)
    const id = JSON.parse(made.stdout).result.plan.id as string
    expect((await cli('push')).code).toBe(0)

    const worked = await cli('work', '--plan', id, '--no-hooks')
    expect(worked.code, worked.stderr).toBe(1)
    const yaml = sh(bare, ['show', `refs/parecode/plans/${id}:plan.yaml`])
    expect(yaml).toMatch(/status: failed/)
    expect(yaml).toMatch(/not pushed: the step's change holds a secret \(a\.txt\)/)
    expect(sh(bare, ['for-each-ref', '--format=%(refname)', 'refs/heads/pare/', 'refs/parecode/claims/'])).toBe('')
    expect(sh(bare, ['log', '--all', '-p'])).not.toContain(secret)
  }, 600_000)
})
