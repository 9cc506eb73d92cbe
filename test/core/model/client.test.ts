import {afterEach, describe, expect, it} from 'vitest'
import {turn, type Turn} from '../../support/model-server.js'
import {harness, TOOLS, user, type Harness} from './helpers.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const READ = {name: 'read_file', args: {path: 'src/a.ts'}}
const LIST = {name: 'list_files', args: {path: 'src'}}

async function ask(t: Turn | Turn[], opts: Parameters<typeof harness>[1] = {}) {
  h = await harness(Array.isArray(t) ? t : [t], opts)
  return h.client.chat({messages: user('go'), tools: TOOLS}, h.onEvent)
}

const calls = (r: {toolCalls: Array<{function: {name: string; arguments: string}}>}) => r.toolCalls.map((c) => [c.function.name, JSON.parse(c.function.arguments)])

describe('chat: what is sent', () => {
  it('streams with tools and include_usage, no auth header without a key, reasoning stripped from history', async () => {
    h = await harness([turn.text('hello')])
    const r = await h.client.chat(
      {
        messages: [
          {role: 'system', content: 'sys'},
          {role: 'user', content: 'hi'},
          {role: 'assistant', content: 'ok', reasoning_content: 'secret thoughts'},
          {role: 'user', content: 'go on'},
        ],
        tools: TOOLS,
        temperature: 0.2,
      },
      h.onEvent,
    )
    expect(r.content).toBe('hello')
    expect(r.finishReason).toBe('stop')
    const [req] = h.server.chatRequests()
    expect(req.path).toBe('/v1/chat/completions')
    expect(req.headers.authorization).toBeUndefined()
    expect(req.body).toMatchObject({model: 'scripted-model', stream: true, stream_options: {include_usage: true}, temperature: 0.2, tools: TOOLS})
    expect(req.body.messages[2]).toEqual({role: 'assistant', content: 'ok'})
    expect(req.body.max_tokens).toBeUndefined()
  })

  it('sends the key as a bearer token and reasoning back when the provider needs it', async () => {
    h = await harness([turn.text('x')], {apiKey: 'test-key-123', keepReasoning: true})
    await h.client.chat({messages: [{role: 'assistant', content: 'a', reasoning_content: 'r'}, {role: 'user', content: 'b'}]})
    const [req] = h.server.chatRequests()
    expect(req.headers.authorization).toBe('Bearer test-key-123')
    expect(req.body.messages[0].reasoning_content).toBe('r')
    expect(req.body.tools).toBeUndefined()
  })

  it('emits content events that add up to the content', async () => {
    const r = await ask(turn.text('a fairly long answer split into several deltas', {textChunk: 5}))
    const text = h!.events.filter((e) => e.type === 'content').map((e) => (e as {text: string}).text)
    expect(text.length).toBeGreaterThan(3)
    expect(text.join('')).toBe(r.content)
  })
})

describe('chat: tool-call assembly across provider quirks', () => {
  const cases: Array<[string, Partial<Turn>]> = [
    ['whole in one chunk', {}],
    ['all calls in one delta', {callsInOneChunk: true}],
    ['fragments of 3 chars', {fragment: 3}],
    ['fragments of 1 char', {fragment: 1}],
    ['id and index on every chunk', {fragment: 4, ids: 'every', indexes: 'every'}],
    ['no id at all', {fragment: 4, ids: 'none'}],
    ['index only on the first fragment', {fragment: 4, indexes: 'first'}],
    ['no index, id only first', {fragment: 4, indexes: 'none'}],
    ['no index, id on every chunk', {fragment: 4, indexes: 'none', ids: 'every'}],
    ['no index and no id', {fragment: 4, indexes: 'none', ids: 'none'}],
    ['a different id on every fragment', {fragment: 4, ids: 'changing'}],
    ['a different id on every fragment, no index', {fragment: 4, ids: 'changing', indexes: 'none'}],
    ['interleaved calls', {fragment: 3, interleave: true}],
    ['interleaved, ids every chunk, no index', {fragment: 3, interleave: true, ids: 'every', indexes: 'none'}],
    ['arguments as an object', {argsAsObject: true}],
    ['finish_reason stop despite calls', {finishReason: 'stop'}],
    ['SSE comments and keep-alives', {comments: true, fragment: 5}],
    ['no [DONE]', {done: false}],
    ['events straddling reads', {byteChunk: 7, fragment: 4}],
    ['usage on the finish chunk', {usageIn: 'finish-chunk'}],
  ]
  for (const [name, quirk] of cases) {
    it(name, async () => {
      const r = await ask({...turn.tools([READ, LIST]), ...quirk})
      expect(calls(r)).toEqual([
        ['read_file', {path: 'src/a.ts'}],
        ['list_files', {path: 'src'}],
      ])
      expect(r.badToolCalls).toEqual([])
      expect(r.finishReason).toBe('tool_calls')
      expect(new Set(r.toolCalls.map((c) => c.id)).size).toBe(2)
      expect(h!.events.filter((e) => e.type === 'tool_call').map((e) => (e as {name: string}).name)).toEqual(['read_file', 'list_files'])
    })
  }

  it('keeps provider ids and makes ids when there are none', async () => {
    let r = await ask(turn.tools([{...READ, id: 'call_abc'}]))
    expect(r.toolCalls[0].id).toBe('call_abc')
    await h!.close()
    r = await ask({...turn.tools([READ]), ids: 'none'})
    expect(r.toolCalls[0].id).toMatch(/^call_/)
  })

  it('empty arguments become {}', async () => {
    const r = await ask(turn.tools([{name: 'list_files', args: ''}]))
    expect(r.toolCalls[0].function.arguments).toBe('{}')
  })

  it('two calls of the same tool with no id and no index stay two calls', async () => {
    const r = await ask({...turn.tools([READ, {name: 'read_file', args: {path: 'b.ts'}}]), ids: 'none', indexes: 'none'})
    expect(calls(r)).toEqual([
      ['read_file', {path: 'src/a.ts'}],
      ['read_file', {path: 'b.ts'}],
    ])
  })

  it('repairs JSON slips in arguments', async () => {
    const r = await ask(turn.tools([{name: 'read_file', args: "{'path': 'a.ts', line_range: '1-5',}"}]))
    expect(calls(r)).toEqual([['read_file', {path: 'a.ts', line_range: '1-5'}]])
  })

  it('repairs raw newlines and a missing closing brace, in fragments', async () => {
    const r = await ask({...turn.tools([{name: 'read_file', args: '{"path": "a\nb.ts"'}]), fragment: 2})
    expect(calls(r)).toEqual([['read_file', {path: 'a\nb.ts'}]])
  })

  it('irreparable arguments become a bad tool call with the expected shape', async () => {
    const r = await ask(turn.tools([{name: 'read_file', args: '{"path": [1, }}]'}, LIST]))
    expect(calls(r)).toEqual([['list_files', {path: 'src'}]])
    expect(r.badToolCalls).toHaveLength(1)
    expect(r.badToolCalls[0].call.function.name).toBe('read_file')
    expect(r.badToolCalls[0].error).toMatch(/^invalid arguments for read_file: .*JSON object like \{"path": …, "line_range": …\}$/)
  })

  it('at max_tokens a cut-off call is a bad call, never repaired into a truncated one', async () => {
    const r = await ask({...turn.tools([LIST, {name: 'read_file', args: '{"path": "src/a.ts", "line_range": "1-'}]), finishReason: 'length', fragment: 5})
    expect(calls(r)).toEqual([['list_files', {path: 'src'}]])
    expect(r.badToolCalls).toHaveLength(1)
    expect(r.badToolCalls[0].error).toMatch(/cut off at max_tokens/)
    expect(r.finishReason).toBe('length')
  })

  it('at max_tokens a cut-off <tool_call> block is a bad call too', async () => {
    const r = await ask(turn.text('<tool_call>{"name": "read_file", "arguments": {"path": "src/a', {finishReason: 'length'}))
    expect(r.toolCalls).toEqual([])
    expect(r.badToolCalls[0].call.function.name).toBe('read_file')
    expect(r.badToolCalls[0].error).toMatch(/cut off at max_tokens/)
  })

  it('a <tool_call> block missing its closing brace and tag is repaired when the answer finished normally', async () => {
    const r = await ask(turn.text('<tool_call>{"name": "read_file", "arguments": {"path": "src/a.ts"}'))
    expect(calls(r)).toEqual([['read_file', {path: 'src/a.ts'}]])
  })

  it('arguments that are not an object are a bad call', async () => {
    const r = await ask(turn.tools([{name: 'read_file', args: '["a.ts"]'}]))
    expect(r.toolCalls).toEqual([])
    expect(r.badToolCalls[0].error).toMatch(/array/)
  })
})

describe('chat: reasoning', () => {
  for (const as of ['reasoning_content', 'reasoning', 'think'] as const) {
    it(`${as} is kept out of content and returned as reasoning`, async () => {
      const r = await ask(turn.reasoning('Let me think about <this> carefully.', 'The answer is 4.', {reasoningAs: as, textChunk: 3}))
      expect(r.content.trim()).toBe('The answer is 4.')
      expect(r.reasoning).toBe('Let me think about <this> carefully.')
      const ev = h!.events
      expect(ev.filter((e) => e.type === 'reasoning').map((e) => (e as {text: string}).text).join('')).toBe('Let me think about <this> carefully.')
      expect(ev.filter((e) => e.type === 'content').map((e) => (e as {text: string}).text).join('').trim()).toBe('The answer is 4.')
    })
  }

  it('a closing </think> without an opener moves what came before into reasoning', async () => {
    const r = await ask(turn.text('thinking out loud</think>\nDone.'))
    expect(r.content.trim()).toBe('Done.')
    expect(r.reasoning).toBe('thinking out loud')
  })
})

describe('chat: tool calls written as text', () => {
  it('<tool_call> tags become calls and leave the content', async () => {
    const r = await ask({...turn.tools([READ, LIST], {content: 'I will look.'}), toolCallsAs: 'tool_call_tags', textChunk: 4})
    expect(calls(r)).toEqual([
      ['read_file', {path: 'src/a.ts'}],
      ['list_files', {path: 'src'}],
    ])
    expect(r.content).toBe('I will look.')
    expect(r.finishReason).toBe('tool_calls')
    expect(h!.events.filter((e) => e.type === 'content').map((e) => (e as {text: string}).text).join('')).not.toContain('tool_call')
  })

  it('a fenced JSON block with name and arguments becomes a call', async () => {
    const r = await ask({...turn.tools([READ]), toolCallsAs: 'fenced_json'})
    expect(calls(r)).toEqual([['read_file', {path: 'src/a.ts'}]])
    expect(r.content).toBe('')
  })

  it('a fenced block naming no known tool stays prose', async () => {
    const text = 'Example:\n```json\n{"name": "deploy", "arguments": {}}\n```'
    const r = await ask(turn.text(text))
    expect(r.toolCalls).toEqual([])
    expect(r.content).toBe(text)
  })

  it('text calls are ignored when the model also made real calls', async () => {
    const r = await ask(turn.tools([LIST], {content: '```json\n{"name": "read_file", "arguments": {"path": "x"}}\n```'}))
    expect(calls(r)).toEqual([['list_files', {path: 'src'}]])
  })
})

describe('chat: usage', () => {
  it('uses the provider usage from a last chunk with empty choices', async () => {
    const r = await ask(turn.text('hi', {usage: {prompt_tokens: 123, completion_tokens: 7}}))
    expect(r.usage).toEqual({input: 123, output: 7, reported: true})
  })

  it('counts locally with the injected counter when there is no usage', async () => {
    const r = await ask(turn.text('four words are here', {usage: false}), {countTokens: (t) => (t ? t.split(/\s+/).filter(Boolean).length : 0)})
    expect(r.usage.reported).toBe(false)
    expect(r.usage.output).toBe(4)
    expect(r.usage.input).toBeGreaterThan(0)
  })
})

describe('chat: non-streaming mode', () => {
  it('assembles the same answer from a whole completion', async () => {
    const r = await ask({...turn.tools([READ], {reasoning: 'hmm'}), argsAsObject: true}, {stream: false})
    expect(calls(r)).toEqual([['read_file', {path: 'src/a.ts'}]])
    expect(r.reasoning).toBe('hmm')
    expect(r.usage.reported).toBe(true)
    expect(h!.server.chatRequests()[0].body.stream).toBeUndefined()
  })
})

describe('chat: servers that do not stream as asked', () => {
  it('takes a whole JSON completion answered to a streaming request', async () => {
    const r = await ask({...turn.tools([READ]), ignoreStream: true})
    expect(calls(r)).toEqual([['read_file', {path: 'src/a.ts'}]])
  })

  it('a data line that is not JSON is a clear error', async () => {
    h = await harness([{...turn.text('x'), rawEvents: ['<html>oops</html>']}], {retries: 0})
    const err = await h.client.chat({messages: user('hi')}).catch((e) => e)
    expect(err.code).toBe('bad_stream')
    expect(err.message).toBe(`${h.server.url} sent a stream chunk that is not JSON: <html>oops</html>`)
  })
})

describe('chat: adapting to servers that refuse a field', () => {
  it('switches to max_completion_tokens, drops stream_options, and remembers', async () => {
    h = await harness(
      (req) => {
        if ('max_tokens' in req.body) return turn.http(400, {error: {message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error'}})
        if ('stream_options' in req.body) return turn.http(400, {error: {message: 'Unknown field: stream_options', type: 'invalid_request_error'}})
        return turn.text('ok')
      },
      {maxTokens: 100, retries: 0},
    )
    expect((await h.client.chat({messages: user('a')})).content).toBe('ok')
    expect((await h.client.chat({messages: user('b')})).content).toBe('ok')
    const reqs = h.server.chatRequests()
    expect(reqs).toHaveLength(4)
    expect(reqs[3].body).toMatchObject({max_completion_tokens: 100, stream: true})
    expect(reqs[3].body.stream_options).toBeUndefined()
  })

  it('drops response_format (JSON mode) when the server refuses it', async () => {
    h = await harness((req) => ('response_format' in req.body ? turn.http(400, {error: {message: "Invalid parameter: 'response_format' of type 'json_object' is not supported with this model.", type: 'invalid_request_error'}}) : turn.text('{"ok":true}')), {retries: 0})
    expect((await h.client.chat({messages: user('plan'), json: true})).content).toBe('{"ok":true}')
    expect(h.server.chatRequests().map((r) => 'response_format' in r.body)).toEqual([true, false])
  })
})
