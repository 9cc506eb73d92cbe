import {afterEach, describe, expect, it} from 'vitest'
import {ModelError} from '../../../src/core/errors/index.js'
import {asksForReasoning, requiresReasoning} from '../../../src/core/model/reasoning.js'
import type {ChatMessage} from '../../../src/core/model/types.js'
import {turn} from '../../support/model-server.js'
import {harness, type Harness} from './helpers.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const call = (id: string) => ({id, type: 'function' as const, function: {name: 'read_file', arguments: '{"path":"a"}'}})

/** A conversation with two tool-call turns (reasoning on the first only) and a plain answer with reasoning. */
const history = (withReasoning: boolean): ChatMessage[] => [
  {role: 'system', content: 's'},
  {role: 'user', content: 'read a'},
  {role: 'assistant', content: null, tool_calls: [call('c1')], ...(withReasoning ? {reasoning_content: 'the task names a'} : {})},
  {role: 'tool', tool_call_id: 'c1', content: 'a'},
  {role: 'assistant', content: null, tool_calls: [call('c2')], ...(withReasoning ? {reasoning_content: ''} : {})},
  {role: 'tool', tool_call_id: 'c2', content: 'a'},
  {role: 'assistant', content: 'a is read', ...(withReasoning ? {reasoning_content: 'done'} : {})},
  {role: 'user', content: 'and b?'},
]

describe('reasoning pass-back', () => {
  it('is required by DeepSeek (any model on its API) and Kimi thinking models, nowhere else', () => {
    expect(requiresReasoning('https://api.deepseek.com/v1', 'deepseek-v4-pro')).toBe(true)
    expect(requiresReasoning('https://api.deepseek.com', 'deepseek-reasoner')).toBe(true)
    expect(requiresReasoning('https://api.moonshot.ai/v1', 'kimi-k2-thinking')).toBe(true)
    expect(requiresReasoning('https://api.moonshot.ai/v1', 'kimi-k2-0905-preview')).toBe(false)
    expect(requiresReasoning('https://openrouter.ai/api/v1', 'deepseek/deepseek-r1')).toBe(false)
    expect(requiresReasoning('http://127.0.0.1:11434/v1', 'deepseek-r1:8b')).toBe(false)
    expect(requiresReasoning('not a url', 'x')).toBe(false)
  })

  it('recognises the 400s that ask for it', () => {
    for (const m of [
      'The reasoning_content in the thinking mode must be passed back to the API.',
      'Missing `reasoning_content` field in the assistant message at message index 2.',
      'thinking is enabled but reasoning_content is missing in assistant tool call message at index 2',
    ]) {
      expect(asksForReasoning(m), m).toBe(true)
    }
    expect(asksForReasoning('Invalid value for temperature')).toBe(false)
    expect(asksForReasoning('reasoning_content is not supported')).toBe(false)
  })

  it('elsewhere it is stripped: no tokens spent on it', async () => {
    h = await harness([turn.text('ok')])
    expect(h.client.passesReasoningBack('scripted-model')).toBe(false)
    await h.client.chat({messages: history(true)})
    const sent = h.server.chatRequests()[0]!.body.messages as ChatMessage[]
    expect(sent.filter((m) => 'reasoning_content' in m)).toEqual([])
  })

  it('a server that refuses without it is learned from: resent once with it, on tool-call turns only (empty included)', async () => {
    h = await harness([turn.text('ok'), turn.text('again')], {}, {requireReasoning: 'deepseek'})
    const r = await h.client.chat({messages: history(true)})
    expect(r.content).toBe('ok')
    const [refused, sent] = h.server.chatRequests()
    expect(refused!.body.messages.some((m: ChatMessage) => 'reasoning_content' in m)).toBe(false)
    expect((sent!.body.messages as ChatMessage[]).map((m) => m.reasoning_content)).toEqual([undefined, undefined, 'the task names a', undefined, '', undefined, undefined, undefined])
    expect(h.client.passesReasoningBack()).toBe(true)
    // From now on it goes with the first request.
    await h.client.chat({messages: history(true)})
    expect(h.server.chatRequests()).toHaveLength(3)
  })

  it('when the caller did not give the reasoning, the client says so (reasoning_required) for the caller to render it', async () => {
    h = await harness([turn.text('never')], {}, {requireReasoning: 'kimi'})
    const err = await h.client.chat({messages: history(false)}).catch((e) => e)
    expect(err).toBeInstanceOf(ModelError)
    expect(err.code).toBe('reasoning_required')
    expect(err.message).toMatch(/reasoning_content is missing/)
    expect(h.client.passesReasoningBack()).toBe(true)
    expect(h.server.chatRequests()).toHaveLength(1)
  })

  it('a refusal when the reasoning was already sent is not looped on', async () => {
    h = await harness([turn.reasoningRequired('deepseek'), turn.reasoningRequired('deepseek'), turn.text('never')], {})
    const first = await h.client.chat({messages: history(true)}).catch((e) => e)
    expect(h.server.chatRequests()).toHaveLength(2)
    expect(first.code).toBe('bad_request')
  })
})
