import {afterEach, describe, expect, it} from 'vitest'
import {openStore} from '../../../src/core/store/index.js'
import {removeDir, sh} from '../../support/repo.js'
import {fake} from '../secrets/fakes.js'
import {repoWithBareRemote} from './helpers.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

// A session turn as an older git-pare (or another tool) wrote it: no redaction on the way in.
function legacyTurn(dir: string, ref: string, chat: string, files: Record<string, string> = {}): string {
  const entries = [`100644 blob ${sh(dir, ['hash-object', '-w', '--stdin'], chat)}\tchat.jsonl`]
  for (const [name, text] of Object.entries(files)) entries.push(`100644 blob ${sh(dir, ['hash-object', '-w', '--stdin'], text)}\t${name}`)
  const tree = sh(dir, ['mktree'], entries.join('\n') + '\n')
  const commit = sh(dir, ['commit-tree', tree, '-m', 'turn 1'])
  sh(dir, ['update-ref', ref, commit])
  return commit
}

describe('pushRefs secret scan', () => {
  it('finds keys the raw text hides (a JSON-escaped PEM block, a \\u-escaped id) in chat.jsonl, also under archived turns', async () => {
    const {first, root, bare} = repoWithBareRemote(dirs)
    const escapedId = JSON.stringify({role: 'tool', content: `id ${fake.awsId()}`}).replace(fake.awsId().slice(0, 2), '\\u0041\\u004b')
    legacyTurn(first, 'refs/parecode/archive/sessions/s1/1', `${JSON.stringify({role: 'tool', content: fake.pem()})}\n${escapedId}\n`)
    const store = await openStore(first)
    const err = await store.push('origin').then(() => null, (e: unknown) => e)
    expect(err).toMatchObject({exitCode: 3, code: 'secrets_found'})
    expect((err as {findings: unknown}).findings).toEqual([
      {ref: 'refs/parecode/archive/sessions/s1/1', path: 'chat.jsonl', line: 1, rule: 'privatekey'},
      {ref: 'refs/parecode/archive/sessions/s1/1', path: 'chat.jsonl', line: 2, rule: 'aws'},
    ])
    expect(sh(root, ['--git-dir', bare, 'for-each-ref', 'refs/parecode/'])).toBe('')
    const res = await store.push('origin', {allowSecrets: true})
    expect(res.pushed).toEqual(['refs/parecode/archive/sessions/s1/1'])
    expect(res.secrets).toHaveLength(2)
  })

  it('skips binary blobs, and scans only what is new since the last push', async () => {
    const {first} = repoWithBareRemote(dirs)
    const binary = `\u0000PNG${fake.github()}`
    legacyTurn(first, 'refs/parecode/sessions/s1', '{"role":"user","content":"hi"}\n', {'image.png': binary})
    const store = await openStore(first)
    expect(await store.push('origin')).toEqual({remote: 'origin', pushed: ['refs/parecode/sessions/s1'], up_to_date: 0, rejected: []})
    legacyTurn(first, 'refs/parecode/sessions/s2', `{"role":"user","content":"${fake.openai()}"}\n`)
    await expect(store.push('origin')).rejects.toMatchObject({findings: [{ref: 'refs/parecode/sessions/s2', path: 'chat.jsonl', line: 1, rule: 'sk-api-key'}]})
  })
})
