import {cpSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import {describe, expect, it, onTestFinished} from 'vitest'
import {projectRoot, removeDir, runCliAsync, sh, tempDir} from '../support/repo.js'
import {scopedRepo} from '../support/scoped.js'

// No model anywhere: an empty HOME and no PARECODE_* variables, so any model call would fail.
function noModelEnv(): NodeJS.ProcessEnv {
  const home = tempDir('pare-home-')
  onTestFinished(() => removeDir(home))
  return {HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), PARECODE_BASE_URL: '', PARECODE_MODEL: '', PARECODE_API_KEY: '', OPENAI_API_KEY: ''}
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f)
    if (f === '.git') return []
    return statSync(p).isDirectory() ? walk(p, base) : [path.relative(base, p)]
  })
}

/** An independent count: TypeScript's own parser, every Identifier node spelled `name`, as `file:line`. */
function tsIdentifiers(root: string, name: string): string[] {
  const out: string[] = []
  for (const rel of walk(root).filter((f) => f.endsWith('.js')).sort()) {
    const text = readFileSync(path.join(root, rel), 'utf8')
    const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
    const visit = (n: ts.Node) => {
      if (ts.isIdentifier(n) && n.text === name) out.push(`${rel}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`)
      ts.forEachChild(n, visit)
    }
    visit(sf)
  }
  return out
}

function snapshot(root: string): Map<string, Buffer> {
  return new Map(walk(root).map((f) => [f, readFileSync(path.join(root, f))]))
}

describe('git pare rename (mechanical mode)', () => {
  it("renames a function of a real npm package (yaml's ESM sources) exactly where TypeScript's parser sees the identifier; undo restores every byte", async () => {
    const root = scopedRepo({'README.md': '# stringifyString is documented here\n'})
    cpSync(path.join(projectRoot, 'node_modules/yaml/browser/dist'), path.join(root, 'src'), {recursive: true})
    sh(root, ['add', '-A'])
    sh(root, ['commit', '-qm', 'vendor yaml'])
    const expected = tsIdentifiers(path.join(root, 'src'), 'stringifyString').map((r) => `src/${r}`)
    expect(expected.length).toBeGreaterThan(8)
    const before = snapshot(root)
    const env = noModelEnv()

    const dry = await runCliAsync(['rename', 'stringifyString', 'renderString', '--dry-run', '--json'], {cwd: root, env})
    expect(dry.code, dry.stderr).toBe(0)
    expect(sh(root, ['status', '--porcelain'])).toBe('')

    const res = await runCliAsync(['rename', 'stringifyString', 'renderString', '--json'], {cwd: root, env})
    expect(res.code, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout).result
    expect(JSON.parse(dry.stdout).result.files).toEqual(out.files)
    expect(out.definitions).toEqual([{path: 'src/stringify/stringifyString.js', line: expect.any(Number)}])
    expect(out.total).toBe(expected.length)
    expect(out.checkpoint.seq).toBe(1)
    // Exactly the identifiers changed: the old name is gone from code, strings (import paths) and docs are untouched.
    expect(tsIdentifiers(path.join(root, 'src'), 'stringifyString')).toEqual([])
    const renamed = tsIdentifiers(path.join(root, 'src'), 'renderString').map((r) => `src/${r}`)
    expect(renamed).toEqual(expected)
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toBe('# stringifyString is documented here\n')
    expect(readFileSync(path.join(root, 'src/util.js'), 'utf8')).toContain("export { renderString } from './stringify/stringifyString.js';")
    // Every changed line is one of TypeScript's lines, and no other line changed.
    const changedLines = sh(root, ['diff', '-U0']).split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))
    expect(changedLines.length).toBe(new Set(expected).size)

    const undo = await runCliAsync(['undo'], {cwd: root, env})
    expect(undo.code, undo.stderr).toBe(0)
    expect(snapshot(root)).toEqual(before)
    expect(sh(root, ['status', '--porcelain'])).toBe('')
  })

  it('refuses a name defined in several files unless --in picks one; then only files importing from it change', async () => {
    const root = scopedRepo({
      'src/a.ts': 'export function parse(s: string) {\n  return s\n}\n',
      'src/b.ts': 'export function parse(n: number) {\n  return n\n}\n',
      'src/use-a.ts': "import {parse} from './a.js'\n// parse the input\nexport const x = parse('1')\n",
      'src/use-b.ts': "import {parse} from './b.js'\nexport const y = parse(1)\n",
    })
    const env = noModelEnv()
    const refused = await runCliAsync(['rename', 'parse', 'parseText'], {cwd: root, env})
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/^error: "parse" is defined in 2 files: src\/a\.ts:1, src\/b\.ts:1$/m)
    expect(refused.stderr).toMatch(/^hint: pick one with --in <file>$/m)
    const res = await runCliAsync(['rename', 'parse', 'parseText', '--in', 'src/a.ts', '--json'], {cwd: root, env})
    expect(res.code, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout).result
    expect(out.files.map((f: {path: string; count: number}) => [f.path, f.count])).toEqual([['src/a.ts', 1], ['src/use-a.ts', 2]])
    expect(out.skipped).toEqual([{path: 'src/b.ts', reason: 'defines its own parse'}, {path: 'src/use-b.ts', reason: 'does not import it from src/a.ts'}])
    // The comment keeps its word.
    expect(readFileSync(path.join(root, 'src/use-a.ts'), 'utf8')).toBe("import {parseText} from './a.js'\n// parse the input\nexport const x = parseText('1')\n")
    const taken = await runCliAsync(['rename', 'parseText', 'parse', '--in', 'src/a.ts'], {cwd: root, env})
    expect(taken.code).toBe(2)
    expect(taken.stderr).toMatch(/already defined/)
  })

  it('--kind text replaces whole words in tracked text files only', async () => {
    const root = scopedRepo({'docs/a.md': 'Acme makes things. Acmes are not Acme.\n', 'src/x.py': 'NAME = "Acme"\n'})
    writeFileSync(path.join(root, 'untracked.md'), 'Acme\n')
    const res = await runCliAsync(['rename', 'Acme', 'Globex', '--kind', 'text'], {cwd: root, env: noModelEnv()})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toMatch(/^renamed Acme -> Globex: 3 occurrences in 2 files$/m)
    expect(readFileSync(path.join(root, 'docs/a.md'), 'utf8')).toBe('Globex makes things. Acmes are not Globex.\n')
    expect(readFileSync(path.join(root, 'src/x.py'), 'utf8')).toBe('NAME = "Globex"\n')
    expect(readFileSync(path.join(root, 'untracked.md'), 'utf8')).toBe('Acme\n')
  })
})
