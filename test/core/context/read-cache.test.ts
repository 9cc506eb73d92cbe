import {beforeAll, describe, expect, it} from 'vitest'
import {fitToBudget} from '../../../src/core/context/budget.js'
import {History} from '../../../src/core/context/history.js'
import {ReadCache} from '../../../src/core/context/read-cache.js'
import {loadTokenCounter, type TokenCounter} from '../../../src/core/context/tokenizer.js'

let counter: TokenCounter
beforeAll(async () => {
  counter = await loadTokenCounter()
})

describe('ReadCache', () => {
  it('hits for the same view of an unchanged file until invalidated', () => {
    const c = new ReadCache()
    c.remember('a.ts', 'k1', 'c1')
    expect(c.hit('a.ts', 'k1')).toBe('c1')
    expect(c.hit('a.ts', 'k2')).toBeUndefined()
    c.invalidate('a.ts')
    expect(c.hit('a.ts', 'k1')).toBeUndefined()
  })

  it('misses once the earlier result was compressed, so the re-read brings the file back', () => {
    const h = new History({system: 's', task: 't'})
    const cache = new ReadCache({visible: (id) => h.isWhole(id)})
    for (let i = 0; i < 5; i++) {
      h.addAssistant({content: null, toolCalls: [{id: `c${i}`, type: 'function', function: {name: 'read_file', arguments: `{"path":"f${i}"}`}}]})
      h.addToolResult({callId: `c${i}`, name: 'read_file', args: `{"path":"f${i}"}`, content: 'line\n'.repeat(100), summary: `read f${i}`})
      cache.remember(`f${i}`, 'k', `c${i}`)
    }
    expect(cache.hit('f0', 'k')).toBe('c0')
    fitToBudget(h, {budgetTokens: 100_000, counter, keepRecent: 3})
    expect(h.isWhole('c0')).toBe(false)
    expect(cache.hit('f0', 'k')).toBeUndefined()
    expect(cache.hit('f4', 'k')).toBe('c4')
    expect(h.isWhole('nope')).toBe(false)
  })
})
