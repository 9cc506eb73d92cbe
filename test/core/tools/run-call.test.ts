import {describe, expect, it} from 'vitest'
import {defineTool} from '../../../src/core/tools/define.js'
import listFiles from '../../../src/core/tools/list-files.js'
import readFile from '../../../src/core/tools/read-file.js'
import {parseArgs, runToolCall} from '../../../src/core/tools/run-call.js'
import {shapeOf, validateArgs} from '../../../src/core/tools/validate.js'
import {makeRepo} from '../../support/repo.js'
import {makeCtx} from './helpers.js'

const boom = defineTool<{x?: number}>({
  name: 'boom',
  description: 'throws',
  parameters: {type: 'object', properties: {x: {type: 'integer'}}},
  async run() {
    throw new Error('kaboom\nstack line')
  },
})
const echo = defineTool<Record<string, unknown>>({
  name: 'echo',
  description: 'echoes its args',
  parameters: {type: 'object', properties: {s: {type: 'string'}, n: {type: 'integer'}, b: {type: 'boolean'}}, required: ['s']},
  async run(args) {
    return {content: JSON.stringify(args), summary: 'echo', ok: true}
  },
})
const tools = [readFile, listFiles, boom, echo]
const root = makeRepo({'a.txt': 'hello\n'})
const call = (name: string, args: string | object) => runToolCall(tools, name, args, makeCtx(root))

describe('runToolCall', () => {
  it('runs a tool with JSON-string or object arguments', async () => {
    expect((await call('read_file', '{"path":"a.txt"}')).content).toMatch(/^1#\w{4}:hello$/)
    expect((await call('read_file', {path: 'a.txt'})).ok).toBe(true)
  })

  it('lists the valid names for an unknown tool', async () => {
    expect(await call('read', '{}')).toEqual({content: 'Error: unknown tool "read"; valid tools: read_file, list_files, boom, echo', summary: 'unknown tool read', ok: false})
  })

  it('forgives prefixes and case in tool names', async () => {
    expect((await call('functions.read_file', {path: 'a.txt'})).ok).toBe(true)
    expect((await call('Read-File', {path: 'a.txt'})).ok).toBe(true)
  })

  it('answers unparseable, non-object, missing or ill-typed arguments with the expected shape', async () => {
    expect((await call('read_file', '{"path": ')).content).toBe('Error: read_file arguments are not valid JSON; expected {path: string, line_range?: string, symbols?: boolean}')
    expect((await call('read_file', '[1,2]')).content).toBe('Error: read_file: arguments must be a JSON object, got array; expected {path: string, line_range?: string, symbols?: boolean}')
    expect((await call('read_file', '{}')).content).toBe('Error: read_file: missing path; expected {path: string, line_range?: string, symbols?: boolean}')
    expect((await call('read_file', {path: {}})).content).toBe('Error: read_file: path must be string, got object; expected {path: string, line_range?: string, symbols?: boolean}')
    expect((await call('echo', {s: 'x', n: 'many'})).content).toBe('Error: echo: n must be integer, got string; expected {s: string, n?: integer, b?: boolean}')
  })

  it('coerces what small models commonly send', async () => {
    expect((await call('echo', {s: 5, n: '60', b: 'true', extra: 1, gone: null})).content).toBe('{"s":"5","n":60,"b":true}')
    expect((await call('echo', JSON.stringify(JSON.stringify({s: 'double'})))).content).toBe('{"s":"double"}')
    expect((await call('read_file', {path: 'a.txt', line_range: [1, 1]})).content).toMatch(/^1#\w{4}:hello$/)
    expect((await call('list_files', '')).ok).toBe(true)
  })

  it('turns an exception inside a tool into a tool error', async () => {
    expect(await call('boom', {})).toEqual({content: 'Error: boom failed: kaboom', summary: 'boom: failed', ok: false})
  })

  it('does not start a tool after abort', async () => {
    const ac = new AbortController()
    ac.abort()
    expect((await runToolCall(tools, 'echo', {s: 'x'}, makeCtx(root, {signal: ac.signal}))).content).toBe('Error: interrupted')
  })
})

describe('validation helpers', () => {
  it('derives a compact shape', () => {
    expect(shapeOf({type: 'object', properties: {a: {type: 'string'}, b: {}}, required: ['a']})).toBe('{a: string, b?: any}')
    expect(shapeOf({type: 'object'})).toBe('{}')
  })

  it('parses arguments leniently', () => {
    expect(parseArgs('  ')).toEqual({ok: true, value: {}})
    expect(parseArgs('null')).toEqual({ok: true, value: {}})
    expect(parseArgs('{bad')).toEqual({ok: false})
    expect(validateArgs({type: 'object', properties: {b: {type: 'boolean'}}}, {b: 'maybe'})).toEqual({ok: false, error: 'b must be boolean, got string'})
  })
})
