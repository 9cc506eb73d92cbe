import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {openStore} from '../../../src/core/store/index.js'
import {sh, writeFiles} from '../../support/repo.js'
import {scopedRepo} from '../../support/scoped.js'
import {fake, leaked} from '../secrets/fakes.js'
import {fsck} from './helpers.js'

const names = (dir: string, tree: string) => sh(dir, ['ls-tree', '-r', '--name-only', tree]).split('\n').filter(Boolean)

describe('session turns: no secrets written into refs/parecode', () => {
  it('stores chat.jsonl with the tool output key redacted; the JSONL still parses; meta and subject too', async () => {
    const dir = scopedRepo({'a.txt': '0\n'})
    const store = await openStore(dir)
    const chat = [
      {role: 'user', content: 'show me the env'},
      {role: 'assistant', content: null, tool_calls: [{id: 'c1', type: 'function', function: {name: 'bash', arguments: JSON.stringify({command: 'cat .env.local'})}}]},
      {role: 'tool', tool_call_id: 'c1', content: `${fake.awsSecretLine()}\nGITHUB=${fake.github()}\n${fake.pem()}`},
      {role: 'assistant', content: `Your key is ${fake.openai()}.`},
    ].map((m) => JSON.stringify(m)).join('\n') + '\n'
    const t = await store.appendTurn('s1', {chat, meta: `title: use ${fake.github()}\nfiles_changed: []\n`, title: `deploy with ${fake.awsId()}`, workTree: true})
    const stored = sh(dir, ['cat-file', '-p', `${t.commit}:chat.jsonl`])
    expect(leaked(stored)).toBeNull()
    const lines = stored.split('\n').map((l) => JSON.parse(l))
    expect(lines).toHaveLength(4)
    expect(lines[0]).toEqual({role: 'user', content: 'show me the env'})
    expect(lines[2].content).toContain('GITHUB=[redacted:github]')
    expect(lines[2].content).toContain('[redacted:privatekey]')
    expect(lines[3].content).toBe('Your key is [redacted:sk-api-key].')
    const meta = sh(dir, ['cat-file', '-p', `${t.commit}:meta.yaml`])
    expect(leaked(meta)).toBeNull()
    expect(meta).toContain('title: use [redacted:github]')
    const subject = sh(dir, ['log', '-1', '--format=%B', t.commit])
    expect(leaked(subject)).toBeNull()
    expect(subject).toMatch(/^deploy with \[redacted:aws\]\n/)
    // Nothing of the key sits anywhere in the object database reachable from the session.
    const all = sh(dir, ['log', '-p', '--format=%B', 'refs/parecode/sessions/s1'])
    expect(leaked(all)).toBeNull()
    // A chat without secrets is stored exactly as given.
    const plain = '{"role":"user","content":"hi"}\n'
    const t2 = await store.appendTurn('s1', {chat: plain, meta: 'title: hi\n', workTree: true})
    expect(sh(dir, ['cat-file', 'blob', `${t2.commit}:chat.jsonl`]) + '\n').toBe(plain)
    fsck(dir)
  })

  it('leaves untracked secret-named files out of `work`, keeps ordinary and tracked ones, and rollback keeps them in place', async () => {
    const dir = scopedRepo({'a.txt': '0\n', 'config/.env': 'TRACKED=1\n'})
    const store = await openStore(dir)
    const envLocal = `${fake.awsSecretLine()}\n`
    writeFiles(dir, {'.env.local': envLocal, 'notes.txt': 'ordinary untracked\n', 'keys/id_ed25519': fake.pem(), 'keys/id_ed25519.pub': 'ssh-ed25519 AAAA test\n', 'srv/tls.pem': fake.pem()})
    const t1 = await store.appendTurn('s1', {chat: '{"role":"user","content":"one"}\n', meta: '', workTree: true})
    const work = names(dir, `${t1.commit}:work`)
    expect(work).toEqual(expect.arrayContaining(['a.txt', 'notes.txt', 'config/.env', 'keys/id_ed25519.pub']))
    for (const p of ['.env.local', 'keys/id_ed25519', 'srv/tls.pem']) expect(work).not.toContain(p)
    // A tree id handed in (as `git pare run` does) is filtered the same way.
    const given = await store.worktreeTree()
    expect(names(dir, given)).toContain('.env.local')
    const t2 = await store.appendTurn('s1', {chat: '{"role":"user","content":"two"}\n', meta: '', workTree: given})
    expect(names(dir, `${t2.commit}:work`)).not.toContain('.env.local')
    // The user's own index and the local snapshot are untouched by the filtering.
    expect(sh(dir, ['status', '--porcelain'])).toContain('?? .env.local')

    writeFileSync(path.join(dir, 'a.txt'), 'turn 3\n')
    writeFileSync(path.join(dir, '.env.local'), `${envLocal}EXTRA=${fake.github()}\n`)
    await store.appendTurn('s1', {chat: '{"role":"user","content":"three"}\n', meta: '', workTree: true})
    const before = readFileSync(path.join(dir, '.env.local'))
    const rb = await store.rollbackSession('s1', 2)
    expect(rb.turn).toBe(1)
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('0\n')
    expect(readFileSync(path.join(dir, '.env.local')).equals(before)).toBe(true)
    expect(readFileSync(path.join(dir, 'keys/id_ed25519'), 'utf8')).toBe(fake.pem())
    expect(readFileSync(path.join(dir, 'srv/tls.pem'), 'utf8')).toBe(fake.pem())
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('ordinary untracked\n')
    // The local snapshot taken before the restore still holds everything (it never leaves the machine).
    expect(names(dir, rb.restore!.before.tree)).toContain('.env.local')
    fsck(dir)
  }, 180_000)

  it('keeps secret-named files in `work` when the user opted in', async () => {
    const dir = scopedRepo({'a.txt': '0\n'})
    const store = await openStore(dir)
    writeFiles(dir, {'.env.local': 'X=1\n'})
    const t = await store.appendTurn('s1', {chat: '', meta: '', workTree: true, secretFiles: true})
    expect(names(dir, `${t.commit}:work`)).toContain('.env.local')
  })

  it('a rollback still removes ordinary files created after the turn (only secret-named ones are kept)', async () => {
    const dir = scopedRepo({'a.txt': '0\n'})
    const store = await openStore(dir)
    await store.appendTurn('s1', {chat: '', meta: '', workTree: true})
    writeFiles(dir, {'later.txt': 'made later\n', '.env': 'LATER=1\n'})
    await store.appendTurn('s1', {chat: '', meta: '', workTree: true})
    await store.rollbackSession('s1', 1)
    expect(sh(dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('?? .env')
  })
})

describe('plans: no secrets written into refs/parecode', () => {
  it('redacts plan.yaml and the commit message, keeping the YAML a valid plan', async () => {
    const dir = scopedRepo({'a.txt': '0\n'})
    const store = await openStore(dir)
    const yaml = `id: p1\ntask: call the API with ${fake.openai()}\nsteps:\n  - description: export ${fake.awsSecretLine()}\n    status: pending\n`
    const c = await store.writePlan('p1', yaml, `plan: created with ${fake.github()}`)
    const stored = sh(dir, ['cat-file', '-p', `${c}:plan.yaml`])
    expect(leaked(stored)).toBeNull()
    const YAML = await import('yaml')
    const plan = YAML.parse(stored)
    expect(plan).toMatchObject({id: 'p1', task: 'call the API with [redacted:sk-api-key]', steps: [{status: 'pending'}]})
    expect(leaked(sh(dir, ['log', '-1', '--format=%B', c]))).toBeNull()
    expect((await store.readPlan('p1'))!.yaml).toBe(stored + '\n')
    // A plan without secrets is stored byte for byte.
    const clean = 'id: p1\ntask: tidy\n'
    const c2 = await store.writePlan('p1', clean, 'plan: tidy')
    expect((await store.readPlan('p1'))).toEqual({id: 'p1', yaml: clean, commit: c2})
  })
})
