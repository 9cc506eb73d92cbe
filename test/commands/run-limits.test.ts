import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {turn} from '../support/model-server.js'
import {runCliAsync, sh} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// Byte caps end a runaway model with a clear error (exit 4), and an oversized tool call is refused to the model.
const MiB = 1024 * 1024
const modelEnv = (url: string) => ({PARECODE_BASE_URL: url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: ['test', 'key'].join('-')})

describe('git pare run under the byte caps', () => {
  it('an endless stream stops at the 8 MiB cap: exit 4, one error line and a hint, no stack, bounded bytes', async () => {
    const root = scopedRepo({'README.md': '# x\n'})
    const server = await scopedServer([{endless: 'content'}, turn.text('never')])
    const res = await runCliAsync(['run', 'say hi', '--no-hooks'], {cwd: root, env: modelEnv(server.url), timeoutMs: 120_000})
    expect(res.code, res.stderr).toBe(4)
    expect(res.stdout).toBe('')
    const errors = res.stderr.split('\n').filter((l) => l.startsWith('error: '))
    expect(errors).toEqual([`error: ${server.url} sent more than 8 MiB of text in one answer; the request was stopped`])
    expect(res.stderr).toMatch(/^hint: no real answer is that long/m)
    expect(res.stderr).not.toMatch(/\n\s+at /)
    // Stopped reading at the cap: what the server got out is the cap plus socket buffers, and it was asked once.
    expect(server.chatRequests()).toHaveLength(1)
    expect(server.sentBytes()[0]).toBeGreaterThan(8 * MiB)
    expect(server.sentBytes()[0]).toBeLessThan(8 * MiB + 24 * MiB)
  })

  it('--json reports the same error as exact JSON', async () => {
    const root = scopedRepo({'README.md': '# x\n'})
    const server = await scopedServer([{endless: 'reasoning'}])
    const res = await runCliAsync(['run', 'say hi', '--no-hooks', '--json'], {cwd: root, env: modelEnv(server.url), timeoutMs: 120_000})
    expect(res.code).toBe(4)
    const out = JSON.parse(res.stdout)
    expect(out.status).toBe(4)
    expect(out.error.code).toBe('response_too_large')
  })

  it('a tool call with arguments over 1 MiB is refused to the model, kept out of the session, and the run goes on', async () => {
    const root = scopedRepo({'README.md': '# x\n'})
    const big = 'x'.repeat(MiB + 1024)
    const server = await scopedServer([
      turn.tools([{name: 'write_file', args: {path: 'big.txt', content: big}}], {fragment: 64 * 1024}),
      turn.tools([{name: 'write_file', args: {path: 'small.txt', content: 'ok\n'}}]),
      turn.text('wrote it in a smaller piece'),
    ])
    const res = await runCliAsync(['run', 'write a big file', '--no-hooks'], {cwd: root, env: modelEnv(server.url), timeoutMs: 120_000})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout.trim()).toBe('wrote it in a smaller piece')
    expect(existsSync(path.join(root, 'big.txt'))).toBe(false)
    expect(existsSync(path.join(root, 'small.txt'))).toBe(true)
    const second = server.chatRequests()[1]!.body.messages as Array<{role: string; content: string | null; tool_calls?: Array<{function: {name: string; arguments: string}}>}>
    const assistant = second.find((m) => m.role === 'assistant')!
    expect(assistant.tool_calls![0]!.function).toEqual({name: 'write_file', arguments: '{}'})
    expect(second.find((m) => m.role === 'tool')!.content).toMatch(/^Error: the arguments of write_file were 1 MiB, over the 1 MiB cap|^Error: the arguments of write_file were \d+ bytes, over the 1 MiB cap/)
    expect(JSON.stringify(server.chatRequests()[1]!.body).length).toBeLessThan(100_000)
    // the session on disk does not carry the oversized text either
    const sessions = sh(root, ['for-each-ref', '--format=%(refname)', 'refs/parecode/sessions/'])
    expect(sessions).not.toBe('')
    const chat = sh(root, ['cat-file', '-p', `${sessions.split('\n')[0]}:chat.jsonl`])
    expect(chat.length).toBeLessThan(100_000)
  })
})
