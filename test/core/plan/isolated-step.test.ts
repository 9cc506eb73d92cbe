import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {createRuntime} from '../../../src/core/agent/runtime.js'
import {loadConfig} from '../../../src/core/config/load.js'
import {runIsolatedStep, stepBranch, stepWorktreeDir} from '../../../src/core/plan/isolated-step.js'
import type {Plan} from '../../../src/core/plan/schema.js'
import {approveStepContent} from '../../../src/core/plan/step-approval.js'
import {openStore} from '../../../src/core/store/store.js'
import {ApprovalStore} from '../../../src/core/trust/approvals.js'
import {turn, type RecordedRequest, type Turn} from '../../support/model-server.js'
import {removeDir, sh, tempDir} from '../../support/repo.js'
import {scopedRepo, scopedServer} from '../../support/scoped.js'

const plan = (): Plan => ({
  id: 'p1',
  task: 'two edits',
  status: 'running',
  created_at: '2026-01-01T00:00:00Z',
  steps: [
    {description: 'edit a', instruction: 'Change a.txt to say A.', files: ['a.txt'], verify: {type: 'file_changed', path: 'a.txt'}, tool_budget: 4, status: 'done', approved: true, summary: ['a.txt: says A']},
    {description: 'edit b', instruction: 'Change b.txt to say B.', files: ['b.txt'], verify: {type: 'pattern_absent', pattern: '^b$', path: 'b.txt'}, tool_budget: 4, status: 'pending', approved: true},
  ],
})

const isTool = (r: RecordedRequest) => r.body.messages.some((m: {role: string}) => m.role === 'tool')

async function setup(policy: (r: RecordedRequest) => Turn) {
  const root = scopedRepo({'a.txt': 'a\n', 'b.txt': 'b\n'})
  const server = await scopedServer(policy)
  const home = tempDir('pare-home-')
  onTestFinished(() => removeDir(home))
  const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test', PARECODE_NO_OLLAMA_PROBE: '1'}
  const config = await loadConfig({cwd: root, env, home, repoRoot: root} as Parameters<typeof loadConfig>[0])
  const runtime = await createRuntime({root, config, env})
  onTestFinished(() => runtime.close())
  const store = await openStore(root)
  const approvals = ApprovalStore.forUser(env, home)
  const p = plan()
  await approveStepContent(approvals, store.paths.commonDir, p, [0, 1])
  return {root, server, runtime, store, approvals, plan: p}
}

describe('runIsolatedStep', () => {
  it('runs one step in its own worktree and commits it on pare/<plan>-<n>, leaving the user checkout, index, HEAD and plan alone', async () => {
    const s = await setup((r) => (isTool(r) ? turn.text('done') : turn.tools([{name: 'write_file', args: {path: 'b.txt', content: 'B\n', overwrite: true}}])))
    // Uncommitted work in the user's checkout: never seen or touched by the step.
    sh(s.root, ['switch', '-q', '-c', 'pare/p1'])
    const fs = await import('node:fs')
    fs.writeFileSync(path.join(s.root, 'a.txt'), 'mine\n')
    const head = sh(s.root, ['rev-parse', 'HEAD'])
    const index = fs.readFileSync(path.join(s.root, '.git/index'))
    const events: string[] = []
    const res = await runIsolatedStep({store: s.store, runtime: s.runtime, plan: s.plan, n: 2, base: head, approvals: s.approvals, onEvent: (e) => events.push(e.type)})
    expect(res.outcome).toMatchObject({ok: true, status: 'done', n: 2})
    expect(res.branch).toBe(stepBranch('p1', 2))
    expect(res.branch).toBe('pare/p1-2')
    expect(sh(s.root, ['rev-parse', 'pare/p1-2'])).toBe(res.commit)
    expect(sh(s.root, ['rev-parse', `${res.commit}^`])).toBe(head)
    expect(sh(s.root, ['show', `${res.commit}:b.txt`])).toBe('B')
    expect(sh(s.root, ['log', '-1', '--format=%B', res.commit!])).toMatch(/^step 2: edit b\n\nPare-Plan: p1\nPare-Step: 2\n/)
    // The user's side: same HEAD and branch, same index bytes, their edit still there, b.txt untouched.
    expect(sh(s.root, ['rev-parse', 'HEAD'])).toBe(head)
    expect(sh(s.root, ['symbolic-ref', '--short', 'HEAD'])).toBe('pare/p1')
    expect(fs.readFileSync(path.join(s.root, '.git/index')).equals(index)).toBe(true)
    expect(fs.readFileSync(path.join(s.root, 'a.txt'), 'utf8')).toBe('mine\n')
    expect(fs.readFileSync(path.join(s.root, 'b.txt'), 'utf8')).toBe('b\n')
    expect(await s.store.readPlan('p1')).toBeNull()
    // The fresh context carries the done step's summary; the tools worked in the worktree.
    const first = s.server.chatRequests()[0]!.body.messages.map((m: {content: string}) => m.content).join('\n')
    expect(first).toContain('step 1: edit a')
    expect(first).toContain('Step 2 of 2')
    expect(events).toContain('step_end')
    expect(existsSync(stepWorktreeDir(s.store.paths.commonDir, 'p1', 2))).toBe(false)
    expect(sh(s.root, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree '))).toHaveLength(1)
    sh(s.root, ['fsck', '--strict'])
  })

  it('a step that fails its check leaves no worktree and no branch; an unapproved step does not run', async () => {
    const s = await setup((r) => (isTool(r) ? turn.text('gave up') : turn.tools([{name: 'read_file', args: {path: 'b.txt'}}])))
    const head = sh(s.root, ['rev-parse', 'HEAD'])
    const res = await runIsolatedStep({store: s.store, runtime: s.runtime, plan: s.plan, n: 2, base: head, approvals: s.approvals})
    expect(res.outcome).toMatchObject({ok: false, attempts: 2})
    expect(res.commit).toBeUndefined()
    expect(sh(s.root, ['branch', '--list', 'pare/*'])).toBe('')
    expect(sh(s.root, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree '))).toHaveLength(1)
    const changed = plan()
    changed.steps[1]!.instruction = 'Delete everything.'
    await expect(runIsolatedStep({store: s.store, runtime: s.runtime, plan: changed, n: 2, base: head, approvals: s.approvals})).rejects.toThrow(/step 2 changed since you approved it \(its instruction\); it was not run/)
    sh(s.root, ['fsck', '--strict'])
  })
})
