import {describe, expect, it} from 'vitest'
import {COMPACT_NOTE, editChatJsonl, editContext} from '../../../src/core/chat/compact.js'
import {loadTokenCounter} from '../../../src/core/context/tokenizer.js'
import {parseChat} from '../../../src/core/context/session.js'
import type {ChatMessage} from '../../../src/core/model/types.js'

const chat: ChatMessage[] = [
  {role: 'user', content: 'rename foo to bar'},
  {role: 'assistant', content: null, tool_calls: [{id: 'c1', type: 'function', function: {name: 'read_file', arguments: '{"path":"a.ts"}'}}]},
  {role: 'tool', tool_call_id: 'c1', content: 'x'.repeat(5000)},
  {role: 'assistant', content: 'Renamed foo to bar in a.ts.'},
  {role: 'user', content: 'now add a test'},
  {role: 'assistant', content: 'Added test/a.test.ts.'},
]

describe('/clear and /compact', () => {
  it('/compact keeps one line per turn, deterministically and without tool output', async () => {
    const opts = {counter: await loadTokenCounter('o200k_base'), contextWindow: 32_000}
    const out = editContext(chat, 'compact', opts)
    expect(out).toHaveLength(2)
    expect(out[0]).toEqual({role: 'user', content: COMPACT_NOTE})
    expect(out[1]!.content).toBe('- User: rename foo to bar → Renamed foo to bar in a.ts. [read_file]\n- User: now add a test → Added test/a.test.ts.')
    expect(editContext(chat, 'compact', opts)).toEqual(out)
    expect(editContext(chat, 'clear', opts)).toEqual([])
    expect(editContext([], 'compact', opts)).toEqual([])
  })

  it('edits stored chat.jsonl, and leaves one that does not parse for the run to report', async () => {
    const opts = {counter: await loadTokenCounter('o200k_base'), contextWindow: 32_000}
    const jsonl = chat.map((m) => JSON.stringify(m)).join('\n') + '\n'
    const parse = (t: string) => parseChat(t, 'x')
    const compacted = editChatJsonl(jsonl, 'compact', opts, parse)
    expect(compacted.trim().split('\n')).toHaveLength(2)
    expect(parse(compacted).ok).toBe(true)
    expect(editChatJsonl(jsonl, 'clear', opts, parse)).toBe('')
    expect(editChatJsonl('not json\n', 'clear', opts, parse)).toBe('not json\n')
  })
})
