import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {contextError, turn, type ContextWording, type RecordedRequest, type ScriptedServer, type Turn} from '../support/model-server.js'
import {runCliAsync, sh} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

/**
 * `git pare run` (the built binary) against each provider shape the loopback server can take: context-length
 * errors by provider, Ollama's silent truncation, quota and rate-limit 429s, thinking models that need their
 * reasoning back, Qwen3-Coder's XML calls, Mistral's [TOOL_CALLS], proxies that repeat arguments, keep-alives.
 */

const env = (server: ScriptedServer, model = 'scripted-model') => ({PARECODE_BASE_URL: server.url, PARECODE_MODEL: model, PARECODE_API_KEY: 'test-key'})
const run = (root: string, server: ScriptedServer, args: string[] = [], model?: string) => runCliAsync(['run', 'look at big.ts and tell me what it holds', '--no-hooks', ...args], {cwd: root, env: env(server, model)})

type Msg = {role: string; content: string | null; tool_calls?: Array<{function: {name: string; arguments: string}}>; reasoning_content?: string}
const messages = (r: RecordedRequest): Msg[] => r.body.messages
const lastTool = (r: RecordedRequest): string => messages(r).filter((m) => m.role === 'tool').at(-1)?.content ?? ''

// ~400 lines of code: its whole read is thousands of tokens, its one-line summary a few dozen.
const BIG = Array.from({length: 400}, (_, i) => `export const value${i} = compute(${i}, 'a string that makes the line longer') // ${i}`).join('\n') + '\n'
const READ_BIG = turn.tools([{name: 'read_file', args: {path: 'big.ts', line_range: '1-400'}}])
const holdsBig = (r: RecordedRequest) => lastTool(r).includes('value399')

describe('git pare run: context-length errors by provider shape', () => {
  const shapes: ContextWording[] = ['openai', 'vllm', 'vllm-new', 'vllm-max-tokens', 'llamacpp', 'llamacpp-500', 'ollama']
  for (const shape of shapes) {
    it(`${shape}: recognised, the request shrunk by the budget pass and sent once more, never identical`, async () => {
      const root = scopedRepo({'big.ts': BIG})
      // The server's context is 4096: a request holding the whole file is refused, a shrunk one answered.
      const server = await scopedServer((req, i) => (i === 0 ? READ_BIG : holdsBig(req) ? contextError(shape, 4096, 9000) : turn.text('It holds 400 constants.')))
      const res = await run(root, server)
      expect(res.code, res.stderr).toBe(0)
      expect(res.stdout.trim()).toBe('It holds 400 constants.')
      const reqs = server.chatRequests()
      expect(reqs).toHaveLength(3)
      expect(holdsBig(reqs[1]!)).toBe(true)
      expect(lastTool(reqs[2]!)).toMatch(/^\[compressed\] /)
      expect(reqs[2]!.raw).not.toBe(reqs[1]!.raw)
      expect(res.stderr).toMatch(/context too long for the server; retried with \d+ tokens/)
      // the 5xx form is not mistaken for an outage: no backoff retry of the same request
      expect(res.stderr).not.toMatch(/retry \d in/)
    })
  }

  it('a request that still does not fit after the one retry: one line naming the window, exit 4', async () => {
    const root = scopedRepo({'big.ts': BIG})
    const server = await scopedServer((_req, i) => (i === 0 ? READ_BIG : contextError('vllm-new', 512, 900)))
    const res = await run(root, server)
    expect(res.code).toBe(4)
    const lines = res.stderr.trim().split('\n')
    const error = lines.find((l) => l.startsWith('error: '))!
    expect(error).toMatch(/^error: the request \(~\d+ tokens\) exceeds the model's context window \(512 tokens\)$/)
    expect(lines[lines.indexOf(error) + 1]).toMatch(/^hint: the server runs a 512-token context, smaller than the profile's 32768: .*context_window: 512/)
    // the refused request once, then at most one shrunk request (not even that when it cannot fit 512 tokens); never the identical one again
    const reqs = server.chatRequests()
    expect(reqs.length).toBeLessThanOrEqual(3)
    expect(new Set(reqs.map((r) => r.raw)).size).toBe(reqs.length)
  })

  it("Ollama's silent truncation: warned, the answer to the cut prompt not used, the window lowered for the rest of the run", async () => {
    const root = scopedRepo({'big.ts': BIG})
    // Ollama runs the model with num_ctx 2048 and cuts what does not fit, reporting only what it kept.
    const cut: Turn = {...turn.tools([{name: 'write_file', args: {path: 'cut.txt', content: 'written from a prompt that lost its task'}}]), contextSize: 2048}
    const server = await scopedServer((req, i) => (i === 0 ? {...READ_BIG, contextSize: 2048} : holdsBig(req) ? cut : turn.text('It holds 400 constants.', {contextSize: 2048})), {ollama: {models: [{name: 'qwen3:8b', contextLength: 40_960}]}})
    const res = await run(root, server, [], 'qwen3:8b')
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout.trim()).toBe('It holds 400 constants.')
    expect(res.stderr).toMatch(/warning: .*read only 2048 of the ~\d+ prompt tokens sent: .*fitted to 2048 tokens .*OLLAMA_CONTEXT_LENGTH=32768/)
    expect(res.stderr.match(/read only 2048/g)).toHaveLength(1)
    expect(existsSync(path.join(root, 'cut.txt'))).toBe(false)
    const reqs = server.chatRequests()
    expect(reqs).toHaveLength(3)
    // the retry is fitted to the window the server showed
    expect(reqs[2]!.body.max_tokens).toBeLessThan(2048)
    expect(lastTool(reqs[2]!)).toMatch(/^\[compressed\] /)
  })
})

describe('git pare run: 429 means two things', () => {
  it('a rate limit is retried after the wait the server asked for', async () => {
    const root = scopedRepo({'big.ts': 'x\n'})
    const server = await scopedServer([turn.rateLimited(0), turn.text('hi')])
    const res = await run(root, server)
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout.trim()).toBe('hi')
    expect(res.stderr).toMatch(/retry 2 in 0s: 429 rate limited/)
    expect(server.chatRequests()).toHaveLength(2)
  })

  for (const wording of ['openai', 'billing', 'credits'] as const) {
    it(`a quota or billing error (${wording}) is not retried and says so in one line`, async () => {
      const root = scopedRepo({'big.ts': 'x\n'})
      const server = await scopedServer([turn.quotaExceeded(wording), turn.text('never')])
      const res = await run(root, server)
      expect(res.code).toBe(4)
      expect(res.stderr).toMatch(/^error: the account's quota or billing limit is reached at http:\/\/127\.0\.0\.1:\d+\/v1 \(not retried\): [^\n]+\nhint: [^\n]+\n$/)
      expect(server.chatRequests()).toHaveLength(1)
    })
  }
})

describe('git pare run: thinking models', () => {
  const script = [
    turn.tools([{name: 'read_file', args: {path: 'big.ts', line_range: '1-3'}}], {reasoning: 'The task names big.ts, so I read it first.'}),
    turn.text('It holds constants.', {reasoning: 'Three lines were enough.'}),
  ]

  it('a server that refuses without the reasoning gets it back on the tool-call turns, once it said so', async () => {
    const root = scopedRepo({'big.ts': BIG})
    const server = await scopedServer(script, {requireReasoning: 'deepseek'})
    const res = await run(root, server)
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout.trim()).toBe('It holds constants.')
    const reqs = server.chatRequests()
    expect(reqs).toHaveLength(3)
    const assistant = (r: RecordedRequest) => messages(r).filter((m) => m.role === 'assistant')
    expect(assistant(reqs[1]!).map((m) => m.reasoning_content)).toEqual([undefined])
    expect(assistant(reqs[2]!).map((m) => m.reasoning_content)).toEqual(['The task names big.ts, so I read it first.'])
  })

  it('elsewhere the reasoning is never sent back (no tokens spent on it)', async () => {
    const root = scopedRepo({'big.ts': BIG})
    const server = await scopedServer(script)
    const res = await run(root, server)
    expect(res.code, res.stderr).toBe(0)
    expect(server.chatRequests()).toHaveLength(2)
    expect(server.chatRequests()[1]!.raw).not.toContain('reasoning_content')
    expect(server.chatRequests()[1]!.raw).not.toContain('The task names big.ts')
  })
})

describe('git pare run: tool calls written in the model’s own markup', () => {
  for (const form of ['qwen_xml', 'qwen_xml_bare', 'function_json', 'mistral', 'mistral_args'] as const) {
    it(`${form}: the call runs, and its markup is neither sent back nor printed`, async () => {
      const root = scopedRepo({'big.ts': BIG})
      const server = await scopedServer([
        {...turn.tools([{name: 'write_file', args: {path: 'notes.md', content: '# Notes\n\nbig.ts holds 400 constants.\n'}}], {content: 'I will write the notes.'}), toolCallsAs: form},
        turn.text('Wrote notes.md.'),
      ])
      const res = await run(root, server)
      expect(res.code, res.stderr).toBe(0)
      expect(res.stdout.trim()).toBe('Wrote notes.md.')
      expect(readFileSync(path.join(root, 'notes.md'), 'utf8')).toBe('# Notes\n\nbig.ts holds 400 constants.\n')
      const second = server.chatRequests()[1]!
      const assistant = messages(second).find((m) => m.role === 'assistant')!
      expect(assistant.content).toBe('I will write the notes.')
      expect(assistant.tool_calls!.map((c) => c.function.name)).toEqual(['write_file'])
      expect(second.raw).not.toMatch(/<function|<tool_call>|\[TOOL_CALLS\]|<parameter/)
    })
  }

  it('markup after an answer\'s text is a call, and is never printed', async () => {
    const root = scopedRepo({'big.ts': BIG})
    const server = await scopedServer([
      {...turn.tools([{name: 'read_file', args: {path: 'big.ts', line_range: '1-2'}}]), toolCallsAs: 'qwen_xml'},
      turn.text('Done: it holds constants.\n<function=read_file>\n<parameter=path>\nbig.ts\n</parameter>\n</function>', {finishReason: 'stop'}),
      turn.text('Done: it holds constants.'),
    ])
    const res = await run(root, server)
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).not.toMatch(/<function|<parameter/)
  })
})

describe('git pare run: proxies and keep-alives', () => {
  for (const repeat of ['same', 'reformatted', 'double_encoded', 'with_name'] as const) {
    it(`arguments sent again whole after their fragments (${repeat}, LiteLLM-style ids on every chunk): one call, one copy`, async () => {
      const root = scopedRepo({'big.ts': BIG})
      const server = await scopedServer([
        {...turn.tools([{name: 'write_file', args: {path: 'out.txt', content: 'one copy\n'}}]), fragment: 5, ids: 'every', repeatArgs: repeat},
        turn.text('done'),
      ])
      const res = await run(root, server)
      expect(res.code, res.stderr).toBe(0)
      expect(readFileSync(path.join(root, 'out.txt'), 'utf8')).toBe('one copy\n')
      const calls = messages(server.chatRequests()[1]!).find((m) => m.role === 'assistant')!.tool_calls!
      expect(calls).toHaveLength(1)
      expect(JSON.parse(calls[0]!.function.arguments)).toEqual({path: 'out.txt', content: 'one copy\n'})
      expect(sh(root, ['status', '--porcelain'])).toBe('?? out.txt')
    })
  }

  for (const keepAlive of ['ping', 'inside_event', 'rewrapped'] as const) {
    it(`keep-alives (${keepAlive}) never end or corrupt a stream`, async () => {
      const root = scopedRepo({'big.ts': BIG})
      const server = await scopedServer([
        {...turn.tools([{name: 'read_file', args: {path: 'big.ts', line_range: '1-2'}}]), keepAlive, fragment: 3},
        {...turn.text('It holds constants, as the first two lines show.'), keepAlive, textChunk: 4},
      ])
      const res = await run(root, server)
      expect(res.code, res.stderr).toBe(0)
      expect(res.stdout.trim()).toBe('It holds constants, as the first two lines show.')
      expect(lastTool(server.chatRequests()[1]!)).toContain('value1')
    })
  }
})
