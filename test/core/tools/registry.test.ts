import {encode} from 'gpt-tokenizer/encoding/o200k_base'
import {describe, expect, it} from 'vitest'
import {allTools, getTool, runToolCall, toolSchemas, toolsFor} from '../../../src/core/tools/registry.js'
import {makeRepo} from '../../support/repo.js'
import {makeCtx} from './helpers.js'

const names = (tools: {name: string}[]) => tools.map((t) => t.name)
const ALL = ['read_file', 'write_file', 'edit_file', 'patch_file', 'search', 'list_files', 'bash', 'recall']

describe('registry', () => {
  it('has the eight tools, in a fixed order', () => {
    expect(names(allTools())).toEqual(ALL)
    expect(getTool('bash')?.name).toBe('bash')
    expect(getTool('nope')).toBeUndefined()
  })

  it('selects tools per profile edit format and quick mode', () => {
    expect(names(toolsFor())).toEqual(ALL)
    expect(names(toolsFor({editFormat: {anchors: true, patch: false}}))).toEqual(ALL.filter((n) => n !== 'patch_file'))
    expect(names(toolsFor({quick: true}))).toEqual(['read_file', 'edit_file', 'search'])
    const plain = toolsFor({editFormat: {anchors: false, patch: true}})
    expect(plain.find((t) => t.name === 'read_file')!.description).not.toContain('#hash')
    const edit = plain.find((t) => t.name === 'edit_file')!.parameters as {properties: Record<string, unknown>; required?: string[]}
    expect(Object.keys(edit.properties)).not.toContain('anchor')
    expect(edit.required ?? []).not.toContain('anchor')
    // The shared tool objects are not mutated by a selection.
    expect(Object.keys((getTool('edit_file')!.parameters as {properties: object}).properties)).toContain('anchor')
  })

  it('pins every schema and its token cost (o200k)', () => {
    const schemas = toolSchemas(allTools())
    const tokens = Object.fromEntries(schemas.map((s) => [s.function.name, encode(JSON.stringify(s)).length]))
    const total = encode(JSON.stringify(schemas)).length
    expect({tokens, total}).toMatchSnapshot()
    expect(schemas).toMatchSnapshot()
    // Sent on every request: keep the whole set lean.
    expect(total).toBeLessThanOrEqual(700)
    const quick = encode(JSON.stringify(toolSchemas(toolsFor({quick: true})))).length
    expect(quick).toBeLessThan(total / 2)
  })

  it('answers an unknown tool with all valid names', async () => {
    const r = await runToolCall(allTools(), 'grep', '{}', makeCtx(makeRepo()))
    expect(r.content).toBe(`Error: unknown tool "grep"; valid tools: ${ALL.join(', ')}`)
  })
})

describe('toolsFor with anchors off', () => {
  it('edit_file neither takes nor mentions an anchor', async () => {
    const {toolsFor: pick} = await import('../../../src/core/tools/registry.js')
    const edit = pick({editFormat: {anchors: false, patch: true}}).find((t) => t.name === 'edit_file')!
    expect(edit.description).not.toMatch(/anchor/i)
    expect(Object.keys((edit.parameters as {properties: object}).properties)).not.toContain('anchor')
  })
})
