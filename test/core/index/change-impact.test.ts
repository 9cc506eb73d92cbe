import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {buildIndex} from '../../../src/core/index/build-index.js'
import {changeImpact, changedSymbols} from '../../../src/core/index/change-impact.js'
import {makeRepo, removeDir} from '../../support/repo.js'

const repos: string[] = []
afterEach(() => repos.splice(0).forEach(removeDir))

const authBefore = `export function validateToken(raw: string): boolean {
  return raw.length > 0
}

export function unchangedHelper(): number {
  return 1
}

function internalOnly(a: number) {
  return a
}
`

describe('changedSymbols', () => {
  it('reports signature changes and removals of exported symbols, not body edits or private ones', async () => {
    const bodyOnly = authBefore.replace('raw.length > 0', 'raw.length > 1')
    expect(await changedSymbols('a.ts', authBefore, bodyOnly)).toEqual([])
    const sig = authBefore.replace('validateToken(raw: string)', 'validateToken(raw: string, strict: boolean)').replace('internalOnly(a: number)', 'internalOnly(a: string)')
    expect(await changedSymbols('a.ts', authBefore, sig)).toEqual([{name: 'validateToken', how: 'modified'}])
    const removed = authBefore.replace(/export function unchangedHelper[\s\S]*?\n}\n/, '')
    expect(await changedSymbols('a.ts', authBefore, removed)).toEqual([{name: 'unchangedHelper', how: 'removed'}])
  })

  it('a constant\'s value is not its definition; its declared type is', async () => {
    const ts = 'export const LIMIT: number = 3\nexport const config = {a: 1}\n'
    expect(await changedSymbols('a.ts', ts, ts.replace('= 3', '= 4').replace('a: 1', 'a: 2'))).toEqual([])
    expect(await changedSymbols('a.ts', ts, ts.replace('LIMIT: number', 'LIMIT: string'))).toEqual([{name: 'LIMIT', how: 'modified'}])
    expect(await changedSymbols('a.py', 'MAX_AGE = 3\n', 'MAX_AGE = 4\n')).toEqual([])
    expect(await changedSymbols('a.rs', 'pub const MAX: usize = 1;\n', 'pub const MAX: usize = 2;\n')).toEqual([])
    expect(await changedSymbols('a.go', 'package a\n\nconst MaxAge = 1\n', 'package a\n\nconst MaxAge = 2\n')).toEqual([])
  })

  it('cuts signatures right after non-ASCII text', async () => {
    const before = `// Grüße, 日本語 😀\nexport const greeting = 'héllo wörld'\n\n${authBefore}`
    expect(await changedSymbols('a.ts', before, before.replace('raw.length > 0', 'raw.length > 7'))).toEqual([])
  })

  it('Python and Rust signatures; a type changes with its shape', async () => {
    const py = 'def validate_token(raw):\n    return raw\n'
    expect(await changedSymbols('a.py', py, py.replace('(raw)', '(raw, strict=False)'))).toEqual([{name: 'validate_token', how: 'modified'}])
    const rs = 'pub struct Config {\n    pub name: String,\n}\n'
    expect(await changedSymbols('a.rs', rs, rs.replace('pub name: String,', 'pub name: String,\n    pub port: u16,'))).toEqual([{name: 'Config', how: 'modified'}])
  })
})

describe('changeImpact', () => {
  it('names untouched files that use a changed exported symbol, with a line number', async () => {
    const root = makeRepo({
      'src/auth.ts': authBefore,
      'src/handler.ts': "import {validateToken} from './auth.js'\n\nexport function handle(t: string) {\n  return validateToken(t)\n}\n",
      'src/other.ts': "import {validateToken} from './auth.js'\nexport const x = validateToken('a')\n",
      'src/unrelated.ts': 'export const validateTokenish = 1\n',
    })
    repos.push(root)
    const after = authBefore.replace('validateToken(raw: string)', 'validateToken(raw: string, strict: boolean)')
    writeFileSync(path.join(root, 'src/auth.ts'), after)
    const index = await buildIndex({root, gitDir: path.join(root, '.git')})
    const text = await changeImpact({index, root, path: 'src/auth.ts', before: authBefore, after, touched: new Set(['src/other.ts'])})
    expect(text).toBe('modified validateToken in src/auth.ts, used by src/handler.ts:1')
    expect(await changeImpact({root, path: 'src/auth.ts', before: authBefore, after, touched: new Set(['src/other.ts', 'src/handler.ts'])})).toBeUndefined()
    expect(await changeImpact({root, path: 'src/auth.ts', before: authBefore, after: authBefore.replace('> 0', '> 2'), touched: new Set()})).toBeUndefined()
  })

  it('warns about removed symbols and caps the number of lines', async () => {
    const defs = Array.from({length: 8}, (_, i) => `export function fnNumber${i}(a: number) {\n  return a\n}\n`).join('\n')
    const uses = Array.from({length: 8}, (_, i) => `fnNumber${i}(1)`).join('\n')
    const root = makeRepo({'lib.ts': defs, 'use.ts': uses + '\n'})
    repos.push(root)
    const text = await changeImpact({root, path: 'lib.ts', before: defs, after: '', touched: new Set()})
    expect(text?.split('\n')).toHaveLength(5)
    expect(text?.split('\n')[0]).toBe('removed fnNumber0 from lib.ts, still used by use.ts:1')
  })

  it('is quiet for files without a language', async () => {
    const root = makeRepo({'notes.md': 'a\n'})
    repos.push(root)
    expect(await changeImpact({root, path: 'notes.md', before: 'a', after: 'b', touched: new Set()})).toBeUndefined()
  })
})
