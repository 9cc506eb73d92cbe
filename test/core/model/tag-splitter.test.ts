import {describe, expect, it} from 'vitest'
import {TagSplitter} from '../../../src/core/model/tag-splitter.js'

function feed(pieces: string[]) {
  const s = new TagSplitter()
  let text = ''
  let reasoning = ''
  for (const p of [...pieces.map((x) => s.push(x)), s.flush()]) {
    text += p.text
    reasoning += p.reasoning
  }
  return {s, text, reasoning}
}

/** Every way of cutting the string in two. */
const cuts = (str: string) => Array.from({length: str.length + 1}, (_, i) => [str.slice(0, i), str.slice(i)])

describe('TagSplitter', () => {
  it('separates think blocks wherever a delta boundary falls', () => {
    const input = 'a<think>deep < thought</think>b'
    for (const pieces of cuts(input)) {
      const {s, text, reasoning} = feed(pieces)
      expect([text, reasoning]).toEqual(['ab', 'deep < thought'])
      expect([s.text, s.reasoning]).toEqual(['ab', 'deep < thought'])
    }
  })

  it('cuts out tool_call blocks wherever a delta boundary falls', () => {
    const input = 'x<tool_call>{"name":"a"}</tool_call>y<tool_call>{"name":"b"}'
    for (const pieces of cuts(input)) {
      const {s, text} = feed(pieces)
      expect(text).toBe('xy')
      expect(s.toolBlocks).toEqual(['{"name":"a"}', '{"name":"b"}'])
    }
  })

  it('an unclosed <think> at the end is reasoning; a lone < is text', () => {
    expect(feed(['<think>never closed'])).toMatchObject({text: '', reasoning: 'never closed'})
    expect(feed(['a <', 'b'])).toMatchObject({text: 'a <b'})
    expect(feed(['ends with <thi'])).toMatchObject({text: 'ends with <thi'})
  })

  it('a closing tag without an opener turns the text before it into reasoning', () => {
    const {s} = feed(['plan it', '</think>', 'answer'])
    expect([s.text, s.reasoning]).toEqual(['answer', 'plan it'])
  })
})
