import {afterEach, describe, expect, it} from 'vitest'
import {StreamAssembler} from '../../../src/core/model/assemble.js'
import {payloads} from '../../../src/core/model/sse.js'
import type {ToolSchema} from '../../../src/core/model/types.js'
import {turn, type Turn} from '../../support/model-server.js'
import {harness, TOOLS, user, type Harness} from './helpers.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const READ = {name: 'read_file', args: {path: 'src/a.ts', line_range: '1-20'}}
const LIST = {name: 'list_files', args: {path: 'src'}}
const WITH_NUMBER: ToolSchema[] = [
  ...TOOLS,
  {type: 'function', function: {name: 'bash', description: 'Run', parameters: {type: 'object', properties: {command: {type: 'string'}, timeout: {type: 'integer'}}}}},
]

async function ask(t: Turn | Turn[], tools = TOOLS) {
  h = await harness(Array.isArray(t) ? t : [t])
  return h.client.chat({messages: user('go'), tools}, h.onEvent)
}

const calls = (r: {toolCalls: Array<{function: {name: string; arguments: string}}>}) => r.toolCalls.map((c) => [c.function.name, JSON.parse(c.function.arguments)])

describe('tool calls in the model’s own markup', () => {
  const forms: Array<NonNullable<Turn['toolCallsAs']>> = ['qwen_xml', 'qwen_xml_bare', 'function_json', 'mistral', 'mistral_args']
  for (const form of forms) {
    it(`${form}: become calls, and the markup leaves the content`, async () => {
      const r = await ask({...turn.tools([READ, LIST], {content: 'I will look first.'}), toolCallsAs: form, textChunk: 5})
      expect(calls(r)).toEqual([
        ['read_file', READ.args],
        ['list_files', LIST.args],
      ])
      expect(r.badToolCalls).toEqual([])
      expect(r.content).toBe('I will look first.')
      expect(r.finishReason).toBe('tool_calls')
      expect(h!.events.filter((e) => e.type === 'tool_call').map((e) => (e as {name: string}).name)).toEqual(['read_file', 'list_files'])
    })
  }

  it('Qwen3-Coder parameters are typed by the tool schema', async () => {
    const r = await ask({...turn.tools([{name: 'bash', args: {command: 'npm test', timeout: 120}}]), toolCallsAs: 'qwen_xml'}, WITH_NUMBER)
    expect(calls(r)).toEqual([['bash', {command: 'npm test', timeout: 120}]])
  })

  it('markup next to real calls is not run twice and does not stay in the content', async () => {
    const r = await ask(turn.tools([LIST], {content: 'Listing.\n<function=list_files>\n<parameter=path>\nsrc\n</parameter>\n</function>'}))
    expect(calls(r)).toEqual([['list_files', LIST.args]])
    expect(r.content).toBe('Listing.')
  })

  it('cut off at max_tokens, a Qwen3-Coder call is a bad call, never run half-written', async () => {
    const r = await ask({content: 'Writing.\n<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/a', finishReason: 'length'})
    expect(r.toolCalls).toEqual([])
    expect(r.badToolCalls).toHaveLength(1)
    expect(r.badToolCalls[0]!.error).toMatch(/cut off at max_tokens/)
  })
})

describe('trailing deltas after a complete call', () => {
  const repeats: Array<NonNullable<Turn['repeatArgs']>> = ['same', 'with_name', 'reformatted', 'double_encoded', 'object']
  for (const repeat of repeats) {
    for (const ids of ['first', 'every'] as const) {
      it(`the whole arguments again (${repeat}, ids ${ids}) keep one copy`, async () => {
        const r = await ask({...turn.tools([READ, LIST]), fragment: 4, ids, repeatArgs: repeat})
        expect(calls(r)).toEqual([
          ['read_file', READ.args],
          ['list_files', LIST.args],
        ])
        expect(r.badToolCalls).toEqual([])
      })
    }
  }

  it('two different calls of one tool in a row stay two', async () => {
    const r = await ask({...turn.tools([{name: 'read_file', args: {path: 'a'}}, {name: 'read_file', args: {path: 'b'}}]), indexes: 'none', ids: 'none'})
    expect(calls(r)).toEqual([
      ['read_file', {path: 'a'}],
      ['read_file', {path: 'b'}],
    ])
  })
})

describe('SSE comments and keep-alives', () => {
  for (const keepAlive of ['ping', 'inside_event', 'rewrapped'] as const) {
    it(`${keepAlive}: never end or corrupt the stream`, async () => {
      const r = await ask({...turn.tools([READ, LIST], {content: 'Reading both.', reasoning: 'two files'}), keepAlive, fragment: 3})
      expect(r.content).toBe('Reading both.')
      expect(r.reasoning).toBe('two files')
      expect(calls(r)).toEqual([
        ['read_file', READ.args],
        ['list_files', LIST.args],
      ])
      expect(r.usage.reported).toBe(true)
    })
  }

  it('payloads: comments, keep-alive words and empty data are dropped; run-together events are split', () => {
    expect(payloads({data: ': ping'})).toEqual([])
    expect(payloads({data: 'ping'})).toEqual([])
    expect(payloads({data: ''})).toEqual([])
    expect(payloads({data: '{}', event: 'ping'})).toEqual([])
    expect(payloads({data: '[DONE]'})).toEqual(['[DONE]'])
    expect(payloads({data: '{"a":1,\n: keep-alive\n"b":2}'})).toEqual(['{"a":1,\n"b":2}'])
    expect(payloads({data: 'data: {"a":1}'})).toEqual(['{"a":1}'])
    expect(payloads({data: '{"a":1}\n{"b":2}\n[DONE]'})).toEqual(['{"a":1}', '{"b":2}', '[DONE]'])
    expect(payloads({data: 'not json\nat all'})).toEqual(['not json\nat all'])
  })
})

describe("Ollama's own usage fields", () => {
  it('prompt_eval_count and eval_count count as usage when a proxy passes them through', () => {
    const asm = new StreamAssembler()
    asm.push({choices: [{index: 0, delta: {content: 'hi'}, finish_reason: 'stop'}]})
    asm.push({done: true, prompt_eval_count: 2048, eval_count: 12})
    expect(asm.result().usage).toEqual({prompt_tokens: 2048, completion_tokens: 12})
  })
})

describe('identical calls that are two calls', () => {
  it('the same call twice, each with its own id and index, stays two', () => {
    const asm = new StreamAssembler(TOOLS)
    const frag = (tc: object) => asm.push({choices: [{index: 0, delta: {tool_calls: [tc]}, finish_reason: null}]})
    frag({index: 0, id: 'a', type: 'function', function: {name: 'list_files', arguments: '{"path": "src"}'}})
    frag({index: 1, id: 'b', type: 'function', function: {name: 'list_files', arguments: '{"path": "src"}'}})
    // LiteLLM's summary repeats each under its own id
    frag({index: 0, id: 'a', type: 'function', function: {name: 'list_files', arguments: '{"path":"src"}'}})
    frag({index: 1, id: 'b', function: {arguments: JSON.stringify('{"path": "src"}')}})
    asm.push({choices: [{index: 0, delta: {}, finish_reason: 'tool_calls'}]})
    expect(asm.result().toolCalls.map((c) => c.id)).toEqual(['a', 'b'])
  })
})
