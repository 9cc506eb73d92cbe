import {describe, expect, it} from 'vitest'
import {parseToolArguments, repairJson} from '../../../src/core/model/json-repair.js'

const value = (raw: unknown) => {
  const r = parseToolArguments(raw)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

describe('parseToolArguments', () => {
  it('keeps valid JSON text as sent', () => {
    expect(parseToolArguments('{"path": "a.ts"}')).toEqual({ok: true, value: {path: 'a.ts'}, text: '{"path": "a.ts"}', repaired: false})
  })

  it('accepts objects, empty strings and null', () => {
    expect(parseToolArguments({path: 'a'})).toMatchObject({ok: true, text: '{"path":"a"}'})
    expect(parseToolArguments('')).toMatchObject({ok: true, text: '{}'})
    expect(parseToolArguments('  ')).toMatchObject({ok: true, text: '{}'})
    expect(parseToolArguments(undefined)).toMatchObject({ok: true, text: '{}'})
  })

  it('repairs the usual slips', () => {
    expect(value('{"path": "a.ts",}')).toEqual({path: 'a.ts'})
    expect(value('{"paths": ["a", "b",],}')).toEqual({paths: ['a', 'b']})
    expect(value("{'path': 'it\\'s.ts'}")).toEqual({path: "it's.ts"})
    expect(value("{'content': 'say \"hi\"'}")).toEqual({content: 'say "hi"'})
    expect(value('{"content": "line1\nline2\tx"}')).toEqual({content: 'line1\nline2\tx'})
    expect(value('{path: "a.ts", overwrite: True, n: -1.5e2, x: None}')).toEqual({path: 'a.ts', overwrite: true, n: -150, x: null})
    expect(value('{"path": "a.ts"')).toEqual({path: 'a.ts'})
    expect(value('{"a": {"b": [1, 2')).toEqual({a: {b: [1, 2]}})
    expect(value('{"content": "unterminated')).toEqual({content: 'unterminated'})
  })

  it('unwraps double-encoded arguments', () => {
    expect(value(JSON.stringify(JSON.stringify({path: 'a.ts'})))).toEqual({path: 'a.ts'})
  })

  it('says why when it cannot', () => {
    expect(parseToolArguments('[1, 2]')).toMatchObject({ok: false, error: 'arguments were an array, not an object'})
    expect(parseToolArguments('42')).toMatchObject({ok: false})
    expect(parseToolArguments('{"a": [1, }}]')).toMatchObject({ok: false})
  })

  it('repair leaves valid JSON unchanged', () => {
    const text = '{"a": "x\\ny", "b": [1, 2.5, true, null], "c": {"d": "}"}}'
    expect(JSON.parse(repairJson(text))).toEqual(JSON.parse(text))
  })
})
