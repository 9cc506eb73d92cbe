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
