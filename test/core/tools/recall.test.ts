import {describe, expect, it} from 'vitest'
import recall from '../../../src/core/tools/recall.js'
import {makeCtx} from './helpers.js'

const store = [
  {id: 'call_1', name: 'read_file', content: 'full text one'},
  {id: 'call_2', name: 'bash', content: 'full bash output'},
]
const ctx = makeCtx('/nonexistent', {
  recall: (q) => store.filter((e) => (q.tool_call_id ? e.id === q.tool_call_id : e.name === q.tool_name)).at(-1),
})

describe('recall', () => {
  it('returns a stored result by id or by tool name', async () => {
    expect(await recall.run({tool_call_id: 'call_1'}, ctx)).toEqual({content: '[result of read_file call call_1]\nfull text one', summary: 'recall read_file call_1', ok: true})
    expect((await recall.run({tool_name: 'bash'}, ctx)).content).toBe('[result of bash call call_2]\nfull bash output')
  })

  it('says when nothing is found, with a hint', async () => {
    const r = await recall.run({tool_call_id: 'call_9'}, ctx)
    expect(r).toMatchObject({ok: false, content: 'Error: no stored result for call call_9; results not shortened are still above, else run the tool again'})
    expect((await recall.run({tool_name: 'search'}, makeCtx('/nonexistent'))).content).toContain('no stored result for a search call')
  })

  it('needs an id or a name', async () => {
    expect((await recall.run({tool_call_id: ' '}, ctx)).content).toBe('Error: give tool_call_id or tool_name')
  })
})
