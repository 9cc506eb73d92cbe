import {describe, expect, it} from 'vitest'
import {extractTextToolCalls} from '../../../src/core/model/text-tool-calls.js'

const names = new Set(['read_file', 'bash'])

describe('extractTextToolCalls', () => {
  it('reads <tool_call> blocks, with parameters or arguments, even with slips', () => {
    const r = extractTextToolCalls('ok', ['{"name": "read_file", "arguments": {"path": "a"}}', "{'name': 'bash', 'parameters': {'command': 'ls'},}"], names)
    expect(r.calls).toEqual([
      {name: 'read_file', args: {path: 'a'}},
      {name: 'bash', args: {command: 'ls'}},
    ])
    expect(r.content).toBe('ok')
  })

  it('reports unreadable blocks', () => {
    expect(extractTextToolCalls('', ['not json at all ]'], names).unreadable).toEqual(['not json at all ]'])
  })

  it('reads fenced blocks and bare JSON naming a known tool, lists included', () => {
    expect(extractTextToolCalls('Let me check.\n```json\n{"name": "bash", "arguments": {"command": "ls"}}\n```\n', [], names)).toMatchObject({
      content: 'Let me check.',
      calls: [{name: 'bash', args: {command: 'ls'}}],
    })
    expect(extractTextToolCalls('{"name": "read_file", "arguments": {"path": "x"}}', [], names).calls).toHaveLength(1)
    expect(extractTextToolCalls('[{"name": "read_file", "arguments": {"path": "x"}}, {"name": "bash", "arguments": {"command": "ls"}}]', [], names).calls).toHaveLength(2)
  })

  it('leaves prose, unknown tools and other JSON alone', () => {
    for (const text of ['```json\n{"name": "deploy", "arguments": {}}\n```', '```json\n{"name": "bash", "version": 2}\n```', '{"a": 1}', 'plain words']) {
      const r = extractTextToolCalls(text, [], names)
      expect(r.calls).toEqual([])
      expect(r.content).toBe(text)
    }
  })
})

const SCHEMAS = [
  {type: 'function' as const, function: {name: 'read_file', description: '', parameters: {type: 'object', properties: {path: {type: 'string'}, line_range: {type: 'string'}}}}},
  {type: 'function' as const, function: {name: 'bash', description: '', parameters: {type: 'object', properties: {command: {type: 'string'}, timeout: {type: 'integer'}}}}},
  {type: 'function' as const, function: {name: 'write_file', description: '', parameters: {type: 'object', properties: {path: {type: 'string'}, content: {type: 'string'}, overwrite: {type: 'boolean'}}}}},
]

describe('extractTextToolCalls: Qwen3-Coder XML, <function=…>, [TOOL_CALLS]', () => {
  const qwen = '<function=bash>\n<parameter=command>\nls -la\n</parameter>\n<parameter=timeout>\n30\n</parameter>\n</function>'

  it('reads <function=…><parameter=…> inside a <tool_call> block, typing values by the schema', () => {
    const r = extractTextToolCalls('Let me list.', [`\n${qwen}\n`], names, true, SCHEMAS)
    expect(r.calls).toEqual([{name: 'bash', args: {command: 'ls -la', timeout: 30}}])
    expect(r.content).toBe('Let me list.')
    expect(r.unreadable).toEqual([])
  })

  it('reads the bare form without <tool_call>, several calls, and takes the markup out of the content', () => {
    const text = `I will read it.\n\n${qwen}\n<function=read_file>\n<parameter=path>\nsrc/a.ts\n</parameter>\n</function>`
    const r = extractTextToolCalls(text, [], names, true, SCHEMAS)
    expect(r.calls).toEqual([
      {name: 'bash', args: {command: 'ls -la', timeout: 30}},
      {name: 'read_file', args: {path: 'src/a.ts'}},
    ])
    expect(r.content).toBe('I will read it.')
  })

  it('keeps a multi-line value byte for byte (only the newlines framing it go), and strings stay strings', () => {
    const body = 'export const a = 1\n\n  indented\n'
    const r = extractTextToolCalls(`<function=write_file>\n<parameter=path>\n007.ts\n</parameter>\n<parameter=content>\n${body}\n</parameter>\n<parameter=overwrite>\ntrue\n</parameter>\n</function>`, [], names, true, SCHEMAS)
    expect(r.calls).toEqual([{name: 'write_file', args: {path: '007.ts', content: body, overwrite: true}}])
  })

  it('a missing </parameter> or </function> still reads when the answer finished; cut off at max_tokens it is not run', () => {
    const open = '<function=read_file>\n<parameter=path>\nsrc/a.ts\n'
    expect(extractTextToolCalls(open, [], names, true, SCHEMAS).calls).toEqual([{name: 'read_file', args: {path: 'src/a.ts'}}])
    const cut = extractTextToolCalls(open, [], names, false, SCHEMAS)
    expect(cut.calls).toEqual([])
    expect(cut.unreadable).toHaveLength(1)
  })

  it("reads Llama 3.1's <function=NAME>{json}</function>", () => {
    const r = extractTextToolCalls('<function=read_file>{"path": "x"}</function>', [], names, true, SCHEMAS)
    expect(r.calls).toEqual([{name: 'read_file', args: '{"path": "x"}'}])
    expect(r.content).toBe('')
  })

  it("reads Mistral's [TOOL_CALLS] list and NAME[ARGS] forms, with and without call ids", () => {
    const list = extractTextToolCalls('Checking.[TOOL_CALLS][{"name": "bash", "arguments": {"command": "ls"}}]', [], names)
    expect(list).toMatchObject({content: 'Checking.', calls: [{name: 'bash', args: {command: 'ls'}}]})
    const args = extractTextToolCalls('[TOOL_CALLS]read_file[ARGS]{"path": "a"}[TOOL_CALLS]bash[CALL_ID]a1b2c3d4e[ARGS]{"command": "pwd"}</s>', [], names)
    expect(args.calls).toEqual([
      {name: 'read_file', args: '{"path": "a"}'},
      {name: 'bash', args: '{"command": "pwd"}'},
    ])
    expect(args.content).toBe('')
  })

  it('prose that only mentions the syntax stays prose', () => {
    for (const text of ['Qwen writes calls as `<function=NAME>` tags.', 'Write <function= followed by the name.']) {
      const r = extractTextToolCalls(text, [], names, true, SCHEMAS)
      expect(r.calls).toEqual([])
      expect(r.content).toBe(text)
    }
  })
})
