import {describe, expect, it} from 'vitest'
import {canonicalJson, guardKey, LoopGuard, repeatNotice} from '../../../src/core/context/loop-guard.js'

describe('LoopGuard', () => {
  it('fires on the second identical call, whatever the key order or spacing', () => {
    const g = new LoopGuard()
    expect(g.check('read_file', '{"path":"a.ts","line_range":[1,20]}')).toEqual({repeat: false})
    g.record('read_file', '{"path":"a.ts","line_range":[1,20]}', {callId: 'c1', content: 'A'})
    expect(g.check('read_file', '{ "line_range": [1, 20], "path": "a.ts" }')).toEqual({repeat: true, previous: {callId: 'c1', content: 'A'}, count: 2})
    expect(g.check('read_file', '{"path":"a.ts"}')).toEqual({repeat: false})
    expect(g.check('search', '{"path":"a.ts","line_range":[1,20]}')).toEqual({repeat: false})
    expect(g.check('read_file', '{"path":"a.ts","line_range":[1,20]}')).toMatchObject({repeat: true, count: 3})
  })

  it('counts invalid calls too (unknown tool, unparseable arguments)', () => {
    const g = new LoopGuard()
    g.record('frobnicate', '{"x":1}', {callId: 'c1', content: 'Error: unknown tool frobnicate'})
    expect(g.check('frobnicate', '{"x":1}')).toMatchObject({repeat: true, previous: {callId: 'c1'}})
    g.record('edit_file', '{"path": "a.ts", old_str', {callId: 'c2', content: 'Error: bad arguments'})
    expect(g.check('edit_file', '  {"path": "a.ts", old_str  ')).toMatchObject({repeat: true, previous: {callId: 'c2'}})
  })

  it('lets a read of an edited file, searches and commands repeat after the edit', () => {
    const g = new LoopGuard()
    g.record('bash', '{"command":"npm test"}', {callId: 'b1', content: 'FAIL'})
    g.record('read_file', '{"path":"src/a.ts"}', {callId: 'r1', content: 'old'})
    g.record('read_file', '{"path":"src/b.ts"}', {callId: 'r2', content: 'b'})
    g.record('search', '{"pattern":"userName"}', {callId: 's1', content: '3 hits'})
    expect(g.check('bash', '{"command":"npm test"}').repeat).toBe(true)
    // A failed edit changes nothing: guards stay.
    g.record('edit_file', '{"path":"src/a.ts","old_str":"x","new_str":"y"}', {callId: 'e1', content: 'Error: old_str not found'})
    expect(g.check('read_file', '{"path":"src/a.ts"}').repeat).toBe(true)
    expect(g.check('edit_file', '{"path":"src/a.ts","old_str":"x","new_str":"y"}').repeat).toBe(true)
    g.record('edit_file', '{"path":"src/a.ts","old_str":"userName","new_str":"login"}', {callId: 'e2', content: 'edited', changed: ['src/a.ts']})
    expect(g.check('read_file', '{"path":"./src/a.ts"}').repeat).toBe(false)
    expect(g.check('read_file', '{"path":"src/a.ts"}').repeat).toBe(false)
    expect(g.check('read_file', '{"path":"src/b.ts"}').repeat).toBe(true)
    expect(g.check('search', '{"pattern":"userName"}').repeat).toBe(false)
    expect(g.check('bash', '{"command":"npm test"}').repeat).toBe(false)
    expect(g.check('edit_file', '{"path":"src/a.ts","old_str":"x","new_str":"y"}').repeat).toBe(false)
    // The edit itself is guarded: repeating it exactly is a loop.
    expect(g.check('edit_file', '{"path":"src/a.ts","old_str":"userName","new_str":"login"}').repeat).toBe(true)
  })

  it('treats a command with unknown effects as possibly changing files: reads may repeat, the command may not', () => {
    const g = new LoopGuard()
    g.record('read_file', '{"path":"a"}', {callId: 'r1', content: 'a'})
    g.record('bash', '{"command":"sed -i s/x/y/ a"}', {callId: 'b1', content: ''})
    expect(g.check('read_file', '{"path":"a"}').repeat).toBe(false)
    expect(g.check('bash', '{"command":"sed -i s/x/y/ a"}').repeat).toBe(true)
    g.reset()
    expect(g.check('bash', '{"command":"sed -i s/x/y/ a"}').repeat).toBe(false)
  })

  it('lets a read repeat once its earlier result is no longer whole in the request', () => {
    const whole = new Set(['r1', 'b1'])
    const g = new LoopGuard({visible: (id) => whole.has(id)})
    g.record('bash', '{"command":"ls"}', {callId: 'b1', content: ''})
    g.record('read_file', '{"path":"a"}', {callId: 'r1', content: 'a'})
    expect(g.check('read_file', '{"path":"a"}').repeat).toBe(true)
    whole.clear()
    expect(g.check('read_file', '{"path":"a"}').repeat).toBe(false)
    // Commands are different: the model got their answer, repeating them is still a loop.
    expect(g.check('bash', '{"command":"ls"}').repeat).toBe(true)
  })

  it('words the notice briefly and more firmly on the third try', () => {
    expect(repeatNotice('read_file', {callId: 'c1'}, 2)).toMatch(/^Error: identical read_file call already made \(id=c1\)\. Nothing changed since/)
    expect(repeatNotice('read_file', {callId: 'c1'}, 3)).toMatch(/change approach/)
  })
})

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({b: 1, a: {d: [1, {z: 1, y: 2}], c: null}})).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}')
    expect(guardKey('x', '')).toBe(guardKey('x', '{}'))
  })
})
