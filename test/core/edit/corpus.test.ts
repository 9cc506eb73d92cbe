import {describe, expect, it} from 'vitest'
import {lineHash} from '../../../src/core/tools/anchors.js'
import editFile from '../../../src/core/tools/edit-file.js'
import patchFile from '../../../src/core/tools/patch-file.js'
// @ts-expect-error plain .mjs shared with the benchmark
import {cases, elisionCases, expectedBytes, patchCases, runCorpus, runPatchCorpus} from '../../fixtures/edits/run-corpus.mjs'
import {makeRepo, removeDir} from '../../support/repo.js'
import {makeCtx} from '../tools/helpers.js'

type Case = {id: string; family: string; file: string; expect: unknown; pkg?: string; source?: string; new_str?: string}
type Row = {id: string; family: string; want: 'apply' | 'refuse'; outcome: string; reasonOk: boolean; message: string; after?: string}

describe('edit corpus (real npm files, slips small models make)', () => {
  it('has at least 60 cases over every file type, each apply expectation well-formed', () => {
    const cs = cases as Case[]
    expect(cs.length).toBeGreaterThanOrEqual(60)
    expect(new Set(cs.map((c) => c.id)).size).toBe(cs.length)
    for (const ext of ['.js', '.ts', '.py', '.json', '.md', '.yml', '.css', '.sh']) expect(cs.some((c) => c.file.endsWith(ext))).toBe(true)
    for (const c of [...cs, ...(patchCases as Case[])]) if (c.expect !== 'refused') expect(() => expectedBytes(c)).not.toThrow()
  })

  it('has the elision corpus: 30+ real comments from npm packages with marker words, 15+ genuine elision forms', () => {
    const cs = elisionCases as Case[]
    const prose = cs.filter((c) => c.family === 'prose-comments' && /^(@[\w.-]+\/)?[\w.-]+@\d+\.\d+\.\d+$/.test(c.pkg ?? ''))
    expect(prose.length).toBeGreaterThanOrEqual(30)
    expect(new Set(prose.map((c) => c.pkg!.replace(/@[\d.]+$/, ''))).size).toBeGreaterThanOrEqual(20)
    for (const c of prose) expect(c.new_str, c.id).toMatch(/\b(unchanged|omitted|existing|same|rest of|remains?|untouched|intact)\b/i)
    expect(cs.filter((c) => c.family === 'elided-new').length).toBeGreaterThanOrEqual(15)
  })

  it('patch_file: every patch case applied exactly or refused whole, zero wrong', async () => {
    const root = makeRepo({'README.md': '# corpus\n'})
    try {
      const rows = (await runPatchCorpus(patchFile, {root, makeCtx})) as Row[]
      const bad = rows.filter((r) => (r.want === 'apply' ? r.outcome !== 'applied' : r.outcome !== 'refused'))
      expect(bad.map((r) => `${r.id} [${r.family}] ${r.outcome}: ${r.message.split('\n').slice(0, 3).join(' | ')}`)).toEqual([])
    } finally {
      removeDir(root)
    }
  })

  it('applies every apply case to the exact bytes, refuses every refuse case, zero wrong', async () => {
    const root = makeRepo({'README.md': '# corpus\n'})
    try {
      const rows = (await runCorpus(editFile, {root, makeCtx, lineHash})) as Row[]
      const bad = rows.filter((r) => (r.want === 'apply' ? r.outcome !== 'applied' : r.outcome !== 'refused'))
      expect(bad.map((r) => `${r.id} [${r.family}] ${r.outcome}: ${r.message.split('\n')[0]}${r.after ? `\n${r.after.slice(0, 0)}` : ''}`)).toEqual([])
      expect(rows.filter((r) => r.outcome === 'wrong')).toEqual([])
      // Refusals that name their reason are refused for it (an elision, not a stale old_str).
      expect(rows.filter((r) => !r.reasonOk).map((r) => `${r.id}: ${r.message.split('\n')[0]}`)).toEqual([])
    } finally {
      removeDir(root)
    }
  })
})
