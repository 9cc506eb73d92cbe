import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {fileSymbols, regexSymbols, type SymbolInfo} from '../../../src/core/index/file-symbols.js'
import {projectRoot} from '../../support/repo.js'

const fixtures = path.join(projectRoot, 'test/fixtures/index')
const load = async (name: string) => fileSymbols(name, readFileSync(path.join(fixtures, name), 'utf8'))
const brief = (syms: SymbolInfo[]) => syms.map((s) => `${s.parent ? `${s.parent}.` : ''}${s.name}:${s.kind}${s.exported ? '+' : ''}`)
const find = (syms: SymbolInfo[], name: string, parent?: string) => syms.find((s) => s.name === name && s.parent === parent)

describe('fileSymbols (tree-sitter)', () => {
  it('TypeScript: declarations, class members, export forms and line ranges', async () => {
    const syms = await load('sample.ts')
    expect(brief(syms)).toEqual([
      'Token:interface+', 'Claims:type+', 'Role:enum+', 'SECRET:constant', 'parseHeader:function+', 'validateToken:function+',
      'helper:function+', 'Session:class+', 'Session.cache:field', 'Session.id:field+', 'Session.constructor:method+',
      'Session.refresh:method+', 'Session.drop:method', 'Session.#secret:method', 'default:class+', 'ambient:function', 'Util:module+',
    ])
    expect(find(syms, 'validateToken')).toMatchObject({startLine: 19, endLine: 22})
    expect(find(syms, 'Session')).toMatchObject({startLine: 26, endLine: 39})
  })

  it('TSX and JavaScript (with CommonJS exports)', async () => {
    expect(brief(await load('sample.tsx'))).toEqual(['Button:function+', 'Card:function+'])
    const js = await load('sample.js')
    expect(brief(js)).toEqual(['fs:constant', 'load:function+', 'Store:class+', 'Store.constructor:method+', 'Store.add:method+', 'Store.create:method+', 'VERSION:constant+', 'ids:function+'])
  })

  it('Python: functions, classes with decorated methods, constants; underscore names are private', async () => {
    const syms = await load('sample.py')
    expect(brief(syms)).toEqual([
      'MAX_AGE:constant+', '_cache:variable', 'validate_token:function+', '_private_helper:function', 'Session:class+',
      'Session.refresh:method+', 'Session.expired:method+', 'Session._internal:method', 'Session.__init__:method+', 'fetch:function+',
    ])
    // A decorated definition starts at its decorator.
    expect(find(syms, 'Session')).toMatchObject({startLine: 18, endLine: 33})
  })

  it('Python: __all__ decides what is exported', async () => {
    const syms = await fileSymbols('m.py', '__all__ = ["a"]\n\ndef a():\n    pass\n\ndef b():\n    pass\n')
    expect(brief(syms)).toEqual(['a:function+', 'b:function'])
  })

  it('Rust: items, pub visibility, trait and impl methods', async () => {
    const syms = await load('sample.rs')
    expect(brief(syms)).toEqual([
      'MAX:constant+', 'COUNTER:variable', 'Config:struct+', 'State:enum', 'Validate:trait+', 'Validate.validate:method+',
      'Validate.describe:method+', 'Config:impl+', 'Config.new:method+', 'Config.secret:method', 'Config:impl+', 'Config.validate:method+',
      'run:function+', 'private_helper:function', 'Result:type+', 'square:other', 'nested:module+', 'tests:module',
    ])
  })

  it('Go: funcs, methods with receiver types, grouped vars, capitalised = exported', async () => {
    expect(brief(await load('sample.go'))).toEqual([
      'MaxAge:constant+', 'ErrExpired:variable+', 'cache:variable', 'Token:struct+', 'Validator:interface+', 'ID:type+',
      'ValidateToken:function+', 'helper:function', 'Token.Refresh:method+', 'Token.expired:method',
    ])
  })

  it('Java: public types and members, nested types, constants', async () => {
    expect(brief(await load('Sample.java'))).toEqual([
      'Sample:class+', 'Sample.MAX_AGE:constant+', 'Sample.name:field', 'Sample.Sample:method+', 'Sample.validate:method+',
      'Sample.helper:method', 'Sample.Role:enum+', 'Role.isAdmin:method+', 'Sample.Inner:class', 'Inner.run:method', 'Checker:interface', 'Checker.check:method',
    ])
  })

  it('C: prototypes fold into definitions, static is private, include guards are not symbols', async () => {
    const syms = await load('sample.c')
    expect(brief(syms)).toEqual([
      'MAX_LEN:constant+', 'SQUARE:function+', 'Point:struct+', 'Point.x:field+', 'Point.y:field+', 'node:struct+', 'node.value:field+',
      'node.next:field+', 'color:enum+', 'counter:variable', 'global_count:variable+', 'validate_token:function+', 'helper:function', 'dup_string:function+',
    ])
    expect(find(syms, 'validate_token')).toMatchObject({startLine: 24, endLine: 26})
  })

  it('C++: namespaces, classes with access sections, out-of-class methods, templates, extern "C"', async () => {
    expect(brief(await load('sample.cpp'))).toEqual([
      'auth:module+', 'Session:class+', 'Session.Session:method+', 'Session.refresh:method+', 'Session.count:method+', 'Session.drop:method',
      'Session.n_:field', 'Session.refresh:method+', 'identity:function+', 'Point:struct+', 'Point.x:field+', 'Point.y:field+',
      'c_entry:function+', 'main:function+',
    ])
  })

  it('Ruby: namespaces do not swallow classes; private sections; singleton methods', async () => {
    expect(brief(await load('sample.rb'))).toEqual([
      'Auth:module+', 'Session:class+', 'Session.refresh:method+', 'Session.create:method+', 'Session.secret:method', 'top_level:function+',
    ])
  })

  it('PHP: functions, constants, interfaces, traits, enums, classes with visibility', async () => {
    expect(brief(await load('sample.php'))).toEqual([
      'MAX_AGE:constant+', 'validate_token:function+', 'Checker:interface+', 'Checker.check:method+', 'Loggable:trait+', 'Loggable.log:method',
      'Role:enum+', 'Role.Admin:constant+', 'Session:class+', 'Session.TTL:constant+', 'Session.cache:field', 'Session.__construct:method+',
      'Session.check:method+', 'Session.drop:method', 'Session.create:method+',
    ])
  })

  it('C#: block and file-scoped namespaces, public members, properties, records', async () => {
    expect(brief(await load('sample.cs'))).toEqual([
      'IChecker:interface+', 'IChecker.Check:method+', 'Session:class+', 'Session.Ttl:constant+', 'Session._id:field', 'Session.Name:field+',
      'Session.Session:method+', 'Session.Check:method+', 'Session.Drop:method', 'Session.Create:method', 'Point:class', 'Role:enum+',
      'Vec:struct+', 'Vec.X:field+', 'Tools:class+', 'Tools.Run:method+',
    ])
  })
})

describe('fileSymbols fallbacks', () => {
  it('a file with syntax errors still yields the declarations around the error', async () => {
    const names = (await load('broken.ts')).map((s) => s.name)
    expect(names).toEqual(expect.arrayContaining(['good', 'broken', 'Later', 'after']))
  })

  it('a file the parser makes nothing of falls back to the regex scan', async () => {
    const text = 'export function ok() {}\n' + '}{)('.repeat(2000) + '\nexport class Tail {}\n'
    const names = (await fileSymbols('garbage.ts', text)).map((s) => s.name)
    expect(names).toEqual(expect.arrayContaining(['ok', 'Tail']))
  })

  it('a parse that gives up (time limit) falls back to the regex scan', async () => {
    const text = Array.from({length: 3000}, (_, i) => `export function f${i}(a: number) {\n  return a\n}`).join('\n')
    const syms = await fileSymbols('big.ts', text, {parseTimeoutMs: -1})
    expect(syms).toEqual(regexSymbols(text))
    expect(syms).toHaveLength(3000)
    // The regex scan gives one-line ranges; the parse the full ones.
    expect(syms[0]).toMatchObject({startLine: 1, endLine: 1})
    expect((await fileSymbols('big.ts', text))[0]).toMatchObject({startLine: 1, endLine: 3})
  })

  it('languages without a grammar use the regex scan; unknown files have no symbols', async () => {
    expect(brief(await load('sample.kt'))).toEqual(['Session:class', 'refresh:function', 'drop:function', 'validateToken:function', 'Checker:interface'])
    expect(await fileSymbols('notes.md', '# function nope()\n')).toEqual([])
    expect(regexSymbols('def top():\n    pass\n')[0]).toMatchObject({name: 'top', kind: 'function'})
  })

  it('does not throw on binary-ish or empty input', async () => {
    expect(await fileSymbols('x.py', '')).toEqual([])
    await expect(fileSymbols('x.c', '\u0000\u0001\u0002int main(){}')).resolves.toBeInstanceOf(Array)
  })
})
