import {afterEach, describe, expect, it} from 'vitest'
import {startScriptedServer, turn, type ScriptedServer} from '../../support/model-server.js'

let s: ScriptedServer | undefined
afterEach(async () => {
  await s?.close()
  s = undefined
})

const post = (url: string, body: unknown) => fetch(url, {method: 'POST', headers: {'content-type': 'application/json', 'x-test': '1'}, body: JSON.stringify(body)})

async function sseData(res: Response): Promise<any[]> {
  const text = await res.text()
  return text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => l.slice(6))
    .map((d) => (d === '[DONE]' ? d : JSON.parse(d)))
}

describe('scripted server', () => {
  it('answers non-streaming requests with a chat.completion and records what it received', async () => {
    s = await startScriptedServer([turn.tools([{name: 'read_file', args: {path: 'a'}}], {content: 'looking'})])
    const res = await post(`${s.url}/chat/completions`, {model: 'm', messages: [{role: 'user', content: 'hi'}]})
    const body = await res.json()
    expect(body.choices[0]).toEqual({
      index: 0,
      message: {role: 'assistant', content: 'looking', tool_calls: [{id: 'call_0_0', type: 'function', function: {name: 'read_file', arguments: '{"path":"a"}'}}]},
      finish_reason: 'tool_calls',
    })
    expect(body.usage.prompt_tokens).toBeGreaterThan(0)
    expect(s.requests).toHaveLength(1)
    expect(s.requests[0]).toMatchObject({method: 'POST', path: '/v1/chat/completions', body: {model: 'm'}})
    expect(s.requests[0].headers['x-test']).toBe('1')
  })

  it('streams chunks in OpenAI order: role, content, calls, finish, usage, [DONE]', async () => {
    s = await startScriptedServer([turn.tools([{name: 'a', args: {x: 1}}], {content: 'hi'})])
    const events = await sseData(await post(`${s.url}/chat/completions`, {model: 'm', stream: true, stream_options: {include_usage: true}, messages: []}))
    expect(events[0].choices[0].delta).toEqual({role: 'assistant', content: ''})
    expect(events[1].choices[0].delta).toEqual({content: 'hi'})
    expect(events[2].choices[0].delta.tool_calls).toEqual([{index: 0, id: 'call_0_0', type: 'function', function: {name: 'a', arguments: '{"x":1}'}}])
    expect(events[3].choices[0]).toEqual({index: 0, delta: {}, finish_reason: 'tool_calls'})
    expect(events[4].choices).toEqual([])
    expect(events[4].usage.total_tokens).toBeGreaterThan(0)
    expect(events[5]).toBe('[DONE]')
  })

  it('leaves out usage unless asked, and [DONE] and finish_reason when told to', async () => {
    s = await startScriptedServer([{...turn.text('x'), done: false, finishReason: null}])
    const events = await sseData(await post(`${s.url}/chat/completions`, {stream: true, messages: []}))
    expect(events.map((e) => (e === '[DONE]' ? e : (e.choices[0]?.finish_reason ?? e.usage ?? null)))).toEqual([null, null])
  })

  it('takes a policy function and says clearly when a list runs out', async () => {
    s = await startScriptedServer((req, i) => turn.text(`answer ${i} to ${req.body.messages[0].content}`))
    const r = await (await post(`${s.url}/chat/completions`, {messages: [{role: 'user', content: 'q'}]})).json()
    expect(r.choices[0].message.content).toBe('answer 0 to q')
    await s.close()
    s = await startScriptedServer([])
    const res = await post(`${s.url}/chat/completions`, {messages: []})
    expect(res.status).toBe(500)
    expect((await res.json()).error.message).toMatch(/no turn left for chat request #1/)
  })

  it('answers HTTP errors with status, body and headers', async () => {
    s = await startScriptedServer([turn.rateLimited(3)])
    const res = await post(`${s.url}/chat/completions`, {messages: []})
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('3')
    expect((await res.json()).error.code).toBe('rate_limit_exceeded')
  })

  it('lists models and pretends to be Ollama when asked', async () => {
    s = await startScriptedServer([], {ollama: {models: [{name: 'qwen3:8b', contextLength: 40_960, numCtx: 8192, loadedContext: 8192}]}})
    expect((await (await fetch(`${s.url}/models`)).json()).data.map((m: {id: string}) => m.id)).toEqual(['qwen3:8b'])
    const root = s.url.replace(/\/v1$/, '')
    expect((await (await fetch(`${root}/api/tags`)).json()).models[0].name).toBe('qwen3:8b')
    expect((await (await fetch(`${root}/api/ps`)).json()).models[0].context_length).toBe(8192)
    const show = await (await post(`${root}/api/show`, {model: 'qwen3:8b'})).json()
    expect(show.model_info['qwen3.context_length']).toBe(40_960)
    expect(show.parameters).toMatch(/num_ctx\s+8192/)
    expect((await post(`${root}/api/show`, {model: 'nope'})).status).toBe(404)
  })

  it('is not Ollama unless asked', async () => {
    s = await startScriptedServer([])
    expect((await fetch(`${s.url.replace(/\/v1$/, '')}/api/tags`)).status).toBe(404)
  })
})
