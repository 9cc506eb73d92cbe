import {describe, expect, it} from 'vitest'
import {LIMITS} from '../../../src/core/text/limits.js'
import {defineTool} from '../../../src/core/tools/define.js'
import {boundResult, runToolCall} from '../../../src/core/tools/run-call.js'
import writeFile from '../../../src/core/tools/write-file.js'
import {makeRepo, removeDir} from '../../support/repo.js'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {makeCtx} from './helpers.js'

const MiB = 1024 * 1024

// Any tool, however written (hook output, an MCP server, a bug), cannot hand the model or the session more than the cap.
const flood = defineTool<{bytes: number; changed?: boolean}>({
  name: 'flood',
  description: 'returns as many bytes as asked',
  parameters: {type: 'object', properties: {bytes: {type: 'integer'}, changed: {type: 'boolean'}}, required: ['bytes']},
  async run(a) {
    return {content: 'é'.repeat(Math.ceil(a.bytes / 2)), summary: `flood ${'s'.repeat(2000)}`, ok: true, ...(a.changed ? {changed: ['x.txt']} : {})}
  },
})

describe('tool result cap', () => {
  it('a result over the cap becomes a tool error saying how large it was; nothing of it is kept', async () => {
    const r = await runToolCall([flood], 'flood', {bytes: 3 * MiB}, makeCtx('/tmp'))
    expect(r.ok).toBe(false)
    expect(r.content).toBe('Error: the result of flood was 3 MiB, over the 1 MiB cap for one result, so it was dropped; ask for less (a line_range, a narrower pattern or path, output filtered with head/grep)')
    expect(r.summary).toBe('flood: result too large (3 MiB)')
  })

  it('bytes are counted, not characters (a multi-byte result just over the cap is refused)', () => {
    const r = boundResult('t', {content: 'é'.repeat(600 * 1024), summary: 's', ok: true})
    expect(r.ok).toBe(false)
  })

  it('an edit that was made keeps ok and its change, with the start of its result and a note', async () => {
    const r = await runToolCall([flood], 'flood', {bytes: 2 * MiB, changed: true}, makeCtx('/tmp'))
    expect(r.ok).toBe(true)
    expect(r.changed).toEqual(['x.txt'])
    expect(r.content.length).toBeLessThan(20 * 1024)
    expect(r.content).toMatch(/\[the rest of this result \(2 MiB in all\) was cut at the 1 MiB cap; the change itself was made\]$/)
  })

  it('a result under the cap passes whole; a long summary is cut to one short line', async () => {
    const r = await runToolCall([flood], 'flood', {bytes: 512 * 1024}, makeCtx('/tmp'))
    expect(r.ok).toBe(true)
    expect(r.content.length).toBe(256 * 1024)
    expect(r.summary.length).toBe(300)
    expect(r.summary.endsWith('…')).toBe(true)
  })

  it('the cap can be lowered per call', async () => {
    expect((await runToolCall([flood], 'flood', {bytes: 4096}, makeCtx('/tmp'), {toolResultBytes: 1024})).ok).toBe(false)
  })
})

describe('tool argument cap', () => {
  it('arguments over the cap are refused before the tool runs', async () => {
    const root = makeRepo()
    try {
      const content = 'x'.repeat(LIMITS.toolArgumentBytes + 10)
      const r = await runToolCall([writeFile], 'write_file', JSON.stringify({path: 'big.txt', content}), makeCtx(root))
      expect(r.ok).toBe(false)
      expect(r.content).toMatch(/^Error: the arguments of write_file were \d+ bytes, over the 1 MiB cap for one call, so it was not run; send less per call$/)
      expect(() => readFileSync(path.join(root, 'big.txt'))).toThrow()
      // a large but legitimate file is written
      const ok = await runToolCall([writeFile], 'write_file', {path: 'gen.txt', content: 'y'.repeat(900 * 1024)}, makeCtx(root))
      expect(ok.ok, ok.content).toBe(true)
      expect(readFileSync(path.join(root, 'gen.txt'), 'utf8')).toHaveLength(900 * 1024)
    } finally {
      removeDir(root)
    }
  })
})
