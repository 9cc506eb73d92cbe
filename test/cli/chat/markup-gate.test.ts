import {describe, expect, it} from 'vitest'
import {MarkupGate} from '../../../src/cli/chat/markup-gate.js'

const TOOLS = new Set(['read_file', 'edit_file', 'bash'])

/** Stream `text` in chunks of `n` characters; what reaches the screen. */
function shown(text: string, n: number): string {
  const gate = new MarkupGate(TOOLS)
  let out = ''
  for (let i = 0; i < text.length; i += n) out += gate.push(text.slice(i, i + n))
  return out + gate.end()
}

describe('chat: call markup written as text never reaches the screen while it streams', () => {
  const calls = [
    'Let me look.\n<function=read_file>\n<parameter=path>\nsrc/a.ts\n</parameter>\n</function>\n',
    'Let me look.\n<tool_call>\n<function=read_file><parameter=path>src/a.ts</parameter></function>\n</tool_call>',
    'Let me look.\n[TOOL_CALLS][{"name": "read_file", "arguments": {"path": "src/a.ts"}}]',
    'Let me look.\n```json\n{"name": "read_file", "arguments": {"path": "src/a.ts"}}\n```\n',
    'Let me look.\n```\n{\n  "name": "bash",\n  "arguments": {"command": "ls"}\n}\n```',
    'Let me look.\n<function=read_file>{"path": "src/a.ts"}</function>',
  ]
  for (const text of calls) {
    it(`hides ${JSON.stringify(text.split('\n')[1])}, in any chunking`, () => {
      for (const n of [1, 3, 7, 1000]) expect(shown(text, n)).toBe('Let me look.\n')
    })
  }

  it('everything else streams as it is, fences and JSON examples included', () => {
    const answers = [
      'Here is the config:\n```json\n{"name": "my-package", "version": "1.0.0"}\n```\nDone.',
      'Use `<function>` elements in HTML.\nA list:\n- one\n- two\n',
      '```ts\nconst x = 1\n```\n',
      'The [TOOL] tag and <func> are fine mid-line: <function=x> too.',
      '``inline code`` and a trailing backtick`',
    ]
    for (const a of answers) for (const n of [1, 4, 1000]) expect(shown(a, n)).toBe(a)
  })

  it('streams partial lines at once when they cannot open a call', () => {
    const gate = new MarkupGate(TOOLS)
    expect(gate.push('Hello wor')).toBe('Hello wor')
    expect(gate.push('ld\n<fun')).toBe('ld\n')
    expect(gate.push('ny stuff')).toBe('<funny stuff')
  })
})
