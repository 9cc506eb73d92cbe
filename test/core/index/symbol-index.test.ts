import {describe, expect, it} from 'vitest'
import type {SymbolInfo} from '../../../src/core/index/file-symbols.js'
import {Index} from '../../../src/core/index/symbol-index.js'

const sym = (name: string, kind: SymbolInfo['kind'], exported = true, parent?: string, line = 1): SymbolInfo => ({name, kind, startLine: line, endLine: line, exported, ...(parent ? {parent} : {})})

function sample(): Index {
  const files = new Map<string, SymbolInfo[]>([
    ['src/auth.ts', [sym('validateToken', 'function'), sym('Session', 'class', true, undefined, 5), sym('refresh', 'method', true, 'Session', 6), sym('secret', 'function', false, undefined, 9)]],
    ['src/handler.ts', [sym('handle', 'function'), sym('validateToken', 'function', false)]],
    ['test/auth.test.ts', [sym('validateToken', 'function')]],
    ['src/index.ts', [sym('main', 'function')]],
    ['vendor/lib.min.js', [sym('x', 'function')]],
  ])
  const paths = ['README.md', 'package.json', ...files.keys()].sort()
  return new Index(files, paths)
}

describe('Index', () => {
  it('findSymbol ranks exported definitions in non-test files first and knows members', () => {
    const idx = sample()
    expect(idx.findSymbol('validateToken').map((h) => h.path)).toEqual(['src/auth.ts', 'test/auth.test.ts', 'src/handler.ts'])
    expect(idx.findSymbol('Session.refresh')).toEqual([{path: 'src/auth.ts', symbol: expect.objectContaining({name: 'refresh'})}])
    expect(idx.findSymbol('Session::refresh')).toHaveLength(1)
    expect(idx.findSymbol('nope')).toEqual([])
  })

  it('resolve: paths stay paths, bare file names find their file, symbols give their files, unknown names are reported', () => {
    const idx = sample()
    const r = idx.resolve(['src/auth.ts', 'handler.ts', 'handle', '`validateToken()`', 'src/new-file.ts', 'Session.refresh', 'whatever'])
    expect(r.paths).toEqual(['src/auth.ts', 'src/handler.ts', 'test/auth.test.ts', 'src/new-file.ts'])
    expect(r.unresolved).toEqual(['whatever'])
    expect(idx.resolveNames(['main'])).toEqual(['src/index.ts'])
  })

  it('topSymbols puts exported top-level symbols first but keeps source order', () => {
    expect(sample().topSymbols('src/auth.ts', 2).map((s) => s.name)).toEqual(['validateToken', 'Session'])
    expect(sample().topSymbols('missing.ts', 3)).toEqual([])
  })

  it('projectMap fits the budget, ranks source over tests and vendored code, folds members into classes', () => {
    const idx = sample()
    const full = idx.projectMap({budgetTokens: 1000})
    expect(full).toContain('src/auth.ts: validateToken, Session{refresh}\n')
    expect(full).toContain('src/handler.ts: handle\n')
    expect(full).not.toContain('vendor/')
    // Most important first: manifests, then the API-rich source, tests last.
    expect(full.split('\n').slice(0, 2).sort()).toEqual(['README.md', 'package.json'])
    expect(full.indexOf('src/auth.ts')).toBeLessThan(full.indexOf('test/auth.test.ts'))
    expect(full.indexOf('src/index.ts')).toBeLessThan(full.indexOf('test/auth.test.ts'))
    const small = idx.projectMap({budgetTokens: 20, countTokens: (t) => Math.ceil(t.length / 4)})
    expect(small.length / 4).toBeLessThanOrEqual(20 + 5)
    expect(small).not.toContain('vendor/')
    expect(small).not.toContain('test/')
    expect(small).toMatch(/\(\+\d+ more files\)/)
  })

  it('projectMap puts focus files in even on a tight budget', () => {
    const map = sample().projectMap({budgetTokens: 12, focus: ['test/auth.test.ts']})
    expect(map).toContain('test/auth.test.ts')
  })
})
