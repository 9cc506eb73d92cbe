import {symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import search, {MAX_MATCHES} from '../../../src/core/tools/search.js'
import {makeRepo, removeDir, tempDir, writeFiles} from '../../support/repo.js'
import {makeCtx} from './helpers.js'

const outside = tempDir('pare-outside-')
writeFileSync(path.join(outside, 'secret.txt'), 'needle\n')
const many = Array.from({length: 120}, (_, i) => `  const needle${i} = ${i}`).join('\n') + '\n'
const root = makeRepo({
  '.gitignore': 'ignored/\n*.log\n',
  'src/a.ts': 'export function greet(name: string) {\n  return `hello ${name}`\n}\ncall(foo(\n',
  'src/b.ts': 'greet("x")\n',
  'many.ts': many,
  'utf8.md': 'Ünïcødé ✓ 你好\n',
  'crlf.txt': 'alpha\r\nbeta\r\n',
  'long.txt': `${'y'.repeat(1000)} target ${'z'.repeat(1000)}\n`,
  'bin.dat': Buffer.from([0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65, 0, 1, 2]),
})
writeFiles(root, {'untracked.ts': 'greet("untracked")\n', 'ignored/x.ts': 'greet("ignored")\n', 'debug.log': 'greet in log\n'})
symlinkSync(outside, path.join(root, 'outdir'))
afterAll(() => {
  removeDir(root)
  removeDir(outside)
})

const run = (args: Parameters<typeof search.run>[0]) => search.run(args, makeCtx(root))

describe('search', () => {
  it('groups matches by file, over tracked and untracked non-ignored files', async () => {
    const r = await run({pattern: 'greet'})
    expect(r.content).toBe(['src/a.ts', '1: export function greet(name: string) {', 'src/b.ts', '1: greet("x")', 'untracked.ts', '1: greet("untracked")'].join('\n'))
    expect(r.summary).toBe('search "greet": 3 matches in 3 files')
  })

  it('says so explicitly when nothing matches', async () => {
    const r = await run({pattern: 'nothing_like_this'})
    expect(r).toMatchObject({ok: true, content: 'no matches for "nothing_like_this" in the repository'})
    expect((await run({pattern: 'greet', path: 'many.ts'})).content).toBe('no matches for "greet" in many.ts')
  })

  it(`caps at ${MAX_MATCHES} matches and counts the rest`, async () => {
    const r = await run({pattern: 'needle[0-9]+', path: 'many.ts'})
    const lines = r.content.split('\n')
    expect(lines).toHaveLength(1 + MAX_MATCHES + 1)
    expect(lines[1]).toBe('1: const needle0 = 0')
    expect(lines.at(-1)).toBe('[50 of 120 matches in 1 file shown; narrow with path or a more specific pattern]')
  })

  it('uses regexes, and falls back to literal text when the regex is invalid or finds nothing', async () => {
    expect((await run({pattern: 'gre+t\\('})).content).toContain('src/b.ts')
    const bad = await run({pattern: 'call(foo('})
    expect(bad.content).toBe('src/a.ts\n4: call(foo(\n[searched as literal text]')
    const literal = await run({pattern: '${name}'})
    expect(literal.content).toContain('2: return `hello ${name}`')
  })

  it('limits to a path and refuses paths outside the repository', async () => {
    expect((await run({pattern: 'greet', path: 'src'})).summary).toBe('search "greet": 2 matches in 2 files')
    expect((await run({pattern: 'greet', path: 'nope'})).content).toBe('Error: nope does not exist; use list_files to see what is there')
    for (const p of ['..', outside, 'outdir', '.git']) {
      const r = await run({pattern: 'needle', path: p})
      expect(r.ok, p).toBe(false)
    }
  })

  it('cuts long lines to a window around the match', async () => {
    const line = (await run({pattern: 'target'})).content.split('\n')[1]!
    expect(line).toContain('target')
    expect(line.length).toBeLessThan(260)
    expect(line).toMatch(/^1: …\[\d+ chars\]y+ target z+…\[\+\d+ chars\]$/)
  })

  it('finds non-ASCII text and CRLF lines, skips binary files', async () => {
    expect((await run({pattern: '你好'})).content).toBe('utf8.md\n1: Ünïcødé ✓ 你好')
    expect((await run({pattern: '^beta'})).content).toBe('crlf.txt\n2: beta')
    expect((await run({pattern: 'needle', path: 'bin.dat'})).content).toBe('no matches for "needle" in bin.dat')
  })

  it('falls back to ignoring case, and says so, before answering no matches', async () => {
    const r = await run({pattern: 'GREET\\(', path: 'src'})
    expect(r.content).toBe('src/a.ts\n1: export function greet(name: string) {\nsrc/b.ts\n1: greet("x")\n[no exact-case matches; these match ignoring case]')
  })

  it('treats a pattern starting with a dash as a pattern', async () => {
    expect((await run({pattern: '-e'})).ok).toBe(true)
  })
})
