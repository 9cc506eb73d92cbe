import {describe, expect, it} from 'vitest'
import {charCounter, ENCODINGS, loadTokenCounter} from '../../../src/core/context/tokenizer.js'
import type {ChatMessage, ToolSchema} from '../../../src/core/model/types.js'

describe('loadTokenCounter', () => {
  it('counts with o200k by default, exactly and deterministically', async () => {
    const c = await loadTokenCounter()
    expect(c.encoding).toBe('o200k_base')
    expect(c.exact).toBe(true)
    expect(c.count('The quick brown fox jumps over the lazy dog.')).toBe(10)
    expect(c.count('export function add(a: number, b: number) { return a + b }\n')).toBe(17)
    expect(c.count('Grüße, 世界! ✓')).toBe(7)
    expect(c.count('')).toBe(0)
  })

  it('loads another encoding when asked', async () => {
    const c = await loadTokenCounter('cl100k_base')
    expect(c.encoding).toBe('cl100k_base')
    expect(c.count('Grüße, 世界! ✓')).toBe(10)
  })

  it.each(ENCODINGS)('loads %s, every encoding a profile may name', async (enc) => {
    const c = await loadTokenCounter(enc)
    expect(c).toMatchObject({encoding: enc, exact: true})
    expect(c.count('hello world')).toBe(2)
  })

  it('treats special-token text in tool output as plain text instead of throwing', async () => {
    const c = await loadTokenCounter()
    expect(c.count('a <|endoftext|> b')).toBeGreaterThan(3)
  })

  it('frames messages like OpenAI: 3 per message, 3 for the reply, tool calls and schemas included', async () => {
    const c = await loadTokenCounter()
    const user: ChatMessage = {role: 'user', content: 'Hello'}
    expect(c.countMessages([user])).toBe(3 + 3 + 1 + 1)
    const call: ChatMessage = {role: 'assistant', content: null, tool_calls: [{id: 'call_1', type: 'function', function: {name: 'read_file', arguments: '{"path":"a.ts"}'}}]}
    expect(c.countMessage(call)).toBe(3 + 1 + (3 + 3 + 2 + 6))
    const tools: ToolSchema[] = [{type: 'function', function: {name: 'read_file', description: 'Read a file', parameters: {type: 'object', properties: {path: {type: 'string'}}}}}]
    expect(c.countMessages([user], tools)).toBe(8 + c.countTools(tools))
    expect(c.countTools(tools)).toBe(2 + c.count(JSON.stringify(tools[0]!.function)))
  })

  it('falls back to chars/4 for an unknown encoding', async () => {
    const c = await loadTokenCounter('no-such-encoding')
    expect(c.exact).toBe(false)
    expect(c.encoding).toBe('chars/4')
    expect(c.count('12345678')).toBe(2)
  })
})

describe('charCounter', () => {
  it('counts code points, so non-ASCII text is not over-counted', () => {
    expect(charCounter().count('世界世界')).toBe(1)
    expect(charCounter().count('abcde')).toBe(2)
  })
})
