import {describe, expect, it} from 'vitest'
import {BlockSplitter, lastBlockEnd, plainLines} from '../../../src/core/chat/blocks.js'
import {costText, sessionCost, turnLine, type Tally} from '../../../src/core/chat/status.js'

describe('streaming markdown by blocks', () => {
  it('gives whole blocks as they complete, never half a code block', () => {
    const s = new BlockSplitter()
    expect(s.push('Hello **wor')).toBe('')
    expect(s.push('ld**.\n\n- a\n- b')).toBe('Hello **world**.\n\n')
    expect(s.push('\n\n```js\nconst a = 1\n\nconst b')).toBe('- a\n- b\n\n')
    expect(s.push(' = 2\n```\nafter')).toBe('```js\nconst a = 1\n\nconst b = 2\n```\n')
    expect(s.flush()).toBe('after')
    expect(s.flush()).toBe('')
  })

  it('counts the whole lines of a plain paragraph that can show before it ends', () => {
    expect(plainLines('One **b**\nTwo\nthr')).toBe(14)
    expect(plainLines('Intro:\n- a\n')).toBe(7)
    expect(plainLines('# Title\n')).toBe(0)
    expect(plainLines('```js\nx\n')).toBe(0)
    expect(plainLines('| a | b |\n')).toBe(0)
    expect(plainLines('Title\n===\n')).toBe(6)
    expect(plainLines('no newline yet')).toBe(0)
  })

  it('a fence closes only with a fence of the same kind, at least as long', () => {
    expect(lastBlockEnd('````\n```\n\nx\n')).toBe(0)
    expect(lastBlockEnd('~~~\n```\n~~~\n')).toBe(12)
  })
})

describe('the status line and /cost', () => {
  const res = {tokens: {input: 1200, output: 80}, files_changed: ['a.ts'], checkpoint: {seq: 4, commit: 'c'}, session: {id: 's', turn: 2}, tool_calls: 3}
  it('without prices: tokens of the turn and the session', () => {
    const t: Tally = {input: 100, output: 20, usd: 0, priced: false}
    const usd = sessionCost(t, res.tokens, {})
    expect(usd).toBeNull()
    expect(turnLine(res, t, usd)).toBe('turn 2 · 1200 in / 80 out (session 1300 / 100) · 1 file changed · 3 tool calls · checkpoint 4 (/diff 4, /undo)')
    expect(costText(t, 2)).toBe('2 turns · 1300 tokens in / 100 out · no price known for this model (set cost_per_mtok_input/output in the profile)')
  })

  it('with prices: USD of the turn and the session', () => {
    const t: Tally = {input: 0, output: 0, usd: 0, priced: false}
    const usd = sessionCost(t, res.tokens, {input: 3, output: 15})
    expect(usd).toBeCloseTo(0.0048)
    sessionCost(t, res.tokens, {input: 3, output: 15})
    expect(turnLine(res, t, usd)).toContain('$0.0048 (session $0.0096)')
    expect(costText(t, 2)).toBe('2 turns · 2400 tokens in / 160 out · $0.0096')
  })
})
