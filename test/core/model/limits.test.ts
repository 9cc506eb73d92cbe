import {afterEach, describe, expect, it} from 'vitest'
import {ModelError} from '../../../src/core/errors/index.js'
import {StreamAssembler} from '../../../src/core/model/assemble.js'
import {readSse} from '../../../src/core/model/sse.js'
import {LIMITS} from '../../../src/core/text/limits.js'
import {turn, type Turn} from '../../support/model-server.js'
import {harness, TOOLS, user, type Harness} from './helpers.js'

// The byte caps of text/limits.ts: a runaway or hostile server is stopped at the cap, the request is aborted
// (the server stops writing), nothing is retried, and the user gets one ModelError line.

const MiB = 1024 * 1024
let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const WRITE_FILE = {type: 'function' as const, function: {name: 'write_file', description: 'Write', parameters: {type: 'object', properties: {path: {type: 'string'}, content: {type: 'string'}}, required: ['path', 'content']}}}

async function failure(t: Turn, limits: Record<string, number> = {}, stream = true): Promise<ModelError> {
  h = await harness([t, turn.text('never asked for')], {limits, stream, retries: 3})
  const err = await h.client.chat({messages: user('go'), tools: [...TOOLS, WRITE_FILE]}, h.onEvent).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ModelError)
  return err as ModelError
}

/** Waits until the server has seen the client go away (its endless writer has stopped). */
async function settled(server: Harness['server']): Promise<number> {
  let last = -1
  for (let i = 0; i < 200; i++) {
    const now = server.sentBytes()[0]!
    if (now === last) return now
    last = now
    await new Promise((r) => setTimeout(r, 25))
  }
  return last
}

describe('response caps: an endless stream is stopped at the cap', () => {
  it('content: stopped at the text cap, not retried, the connection closed', async () => {
    const err = await failure({endless: 'content'}, {responseTextBytes: 2 * MiB})
    expect(err.code).toBe('response_too_large')
    expect(err.message).toMatch(/sent more than 2 MiB of text in one answer; the request was stopped$/)
    expect(err.hint).toMatch(/looping|misbehaving/)
    expect(h!.server.chatRequests()).toHaveLength(1)
    const sent = await settled(h!.server)
    // Bounded by the cap plus what sockets buffer, far from "until memory runs out".
    expect(sent).toBeGreaterThan(2 * MiB)
    expect(sent).toBeLessThan(2 * MiB + 24 * MiB)
    expect(h!.server.sentBytes()[0]).toBe(sent)
  })

  it('reasoning and tool-call arguments count toward the same cap', async () => {
    expect((await failure({endless: 'reasoning'}, {responseTextBytes: MiB})).code).toBe('response_too_large')
    await h!.close()
    h = undefined
    const err = await failure({endless: 'tool_args'}, {responseTextBytes: MiB, toolArgumentBytes: 256 * 1024})
    expect(err.code).toBe('response_too_large')
    expect(await settled(h!.server)).toBeLessThan(MiB + 24 * MiB)
  })

  it('a stream with no text (empty deltas, keep-alive comments) is stopped by the wire cap', async () => {
    const a = await failure({endless: 'empty_deltas'}, {responseWireBytes: 4 * MiB})
    expect(a.message).toMatch(/sent more than 4 MiB in one answer/)
    expect(await settled(h!.server)).toBeLessThan(4 * MiB + 24 * MiB)
    await h!.close()
    h = undefined
    expect((await failure({endless: 'comments'}, {responseWireBytes: 4 * MiB})).code).toBe('response_too_large')
  })

  it('one SSE line that never ends is stopped at the event cap', async () => {
    const err = await failure({endless: 'one_line'}, {sseEventBytes: MiB})
    expect(err.message).toMatch(/a stream event over 1048576 characters/)
    expect(await settled(h!.server)).toBeLessThan(MiB + 24 * MiB)
  })

  it('a whole (non-streamed) completion that never ends is stopped too', async () => {
    const err = await failure({endless: 'whole_json'}, {sseEventBytes: 2 * MiB}, false)
    expect(err.code).toBe('response_too_large')
    expect(await settled(h!.server)).toBeLessThan(2 * MiB + 24 * MiB)
  })

  it('with the default caps an endless stream stops just past 8 MiB', async () => {
    expect(LIMITS.responseTextBytes).toBe(8 * MiB)
    const err = await failure({endless: 'content'})
    expect(err.message).toMatch(/more than 8 MiB of text/)
    const sent = await settled(h!.server)
    expect(sent).toBeGreaterThan(8 * MiB)
    expect(sent).toBeLessThan(8 * MiB + 24 * MiB)
  })

  it('an ordinary long answer under the caps is whole', async () => {
    h = await harness([turn.text('ü'.repeat(300_000), {textChunk: 4096})], {limits: {responseTextBytes: MiB}})
    const r = await h.client.chat({messages: user('go')}, h.onEvent)
    expect(r.content).toBe('ü'.repeat(300_000))
  })
})

describe('tool-call argument cap: the call is refused, the answer goes on', () => {
  it('an oversized write_file comes back as a bad call without its arguments; the other call is kept', async () => {
    const big = 'x'.repeat(300 * 1024)
    h = await harness([turn.tools([{name: 'write_file', args: {path: 'big.txt', content: big}}, {name: 'read_file', args: {path: 'a.ts'}}], {fragment: 16 * 1024})], {limits: {toolArgumentBytes: 256 * 1024}})
    const r = await h.client.chat({messages: user('go'), tools: [...TOOLS, WRITE_FILE]}, h.onEvent)
    expect(r.toolCalls.map((c) => c.function.name)).toEqual(['read_file'])
    expect(r.badToolCalls).toHaveLength(1)
    expect(r.badToolCalls[0]!.call.function).toEqual({name: 'write_file', arguments: '{}'})
    expect(r.badToolCalls[0]!.error).toMatch(/^the arguments of write_file were 300 KiB, over the 256 KiB cap for one call, so it was not run; send less per call/)
  })

  it('arguments sent as one object, and a call written as text, are capped the same way', async () => {
    const big = 'y'.repeat(300 * 1024)
    h = await harness([turn.tools([{name: 'write_file', args: {path: 'b.txt', content: big}}], {argsAsObject: true})], {limits: {toolArgumentBytes: 256 * 1024}})
    const r = await h.client.chat({messages: user('go'), tools: [...TOOLS, WRITE_FILE]}, h.onEvent)
    expect(r.toolCalls).toHaveLength(0)
    expect(r.badToolCalls[0]!.error).toMatch(/over the 256 KiB cap/)

    const asm = new StreamAssembler([WRITE_FILE], () => {}, {toolArgumentBytes: 1024})
    asm.push({choices: [{delta: {content: `<tool_call>{"name": "write_file", "arguments": {"path": "c", "content": "${'z'.repeat(2000)}"}}</tool_call>`}, finish_reason: 'stop'}]})
    const res = asm.result()
    expect(res.toolCalls).toHaveLength(0)
    expect(res.badToolCalls[0]!.error).toMatch(/over the 1 KiB cap/)
  })

  it('a legitimate large write_file under the default 1 MiB cap goes through whole', async () => {
    const content = 'const a = 1\n'.repeat(60_000) // ~700 KiB
    h = await harness([turn.tools([{name: 'write_file', args: {path: 'gen.ts', content}}], {fragment: 64 * 1024})])
    const r = await h.client.chat({messages: user('go'), tools: [...TOOLS, WRITE_FILE]}, h.onEvent)
    expect(r.badToolCalls).toHaveLength(0)
    expect(JSON.parse(r.toolCalls[0]!.function.arguments).content).toBe(content)
  })

  it('endless new tool-call slots with no text are refused at the call cap', () => {
    const asm = new StreamAssembler([], () => {}, {toolCallsPerResponse: 10})
    expect(() => {
      for (let i = 0; i < 100; i++) asm.push({choices: [{delta: {tool_calls: [{index: i}]}}]})
    }).toThrow(/more than 10 tool calls/)
  })
})

describe('readSse is linear and bounded', () => {
  it('a long line in many small reads is read whole under the cap, and refused over it', async () => {
    const line = `data: ${'a'.repeat(200_000)}\n\n`
    async function* reads(text: string) {
      const bytes = new TextEncoder().encode(text)
      for (let i = 0; i < bytes.length; i += 100) yield bytes.subarray(i, i + 100)
    }
    const got: string[] = []
    for await (const e of readSse(reads(line), {maxEventChars: 300_000})) got.push(e.data)
    expect(got).toEqual(['a'.repeat(200_000)])
    await expect(async () => {
      for await (const _ of readSse(reads(line), {maxEventChars: 100_000})) void _
    }).rejects.toThrow(/stream event over 100000 characters/)
  })

  it('CRLF split across reads still ends one line', async () => {
    async function* reads() {
      yield new TextEncoder().encode('data: a\r')
      yield new TextEncoder().encode('\ndata: b\r\n\r\n')
    }
    const got: string[] = []
    for await (const e of readSse(reads())) got.push(e.data)
    expect(got).toEqual(['a\nb'])
  })
})
