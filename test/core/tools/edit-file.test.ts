import {chmodSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {formatLine, lineHash} from '../../../src/core/tools/anchors.js'
import editFile from '../../../src/core/tools/edit-file.js'
import {makeRepo, removeDir, tempDir} from '../../support/repo.js'
import {makeCtx} from './helpers.js'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach(removeDir))
const repo = (files: Record<string, string | Buffer>) => {
  const d = makeRepo(files)
  dirs.push(d)
  return d
}
const read = (root: string, p: string) => readFileSync(path.join(root, p), 'utf8')

const SRC = 'export function fg() {\n  return this.fg\n}\n\nexport function bg() {\n  return this.fg\n}\n'

describe('edit_file', () => {
  it('has a short schema', () => {
    expect(editFile.name).toBe('edit_file')
    expect(Object.keys((editFile.parameters as {properties: object}).properties)).toEqual(['path', 'old_str', 'new_str', 'anchor'])
    expect(editFile.description.length).toBeLessThan(120)
  })

  it('edits, keeps the mode, invalidates the read cache, reports telemetry and runs afterEdit', async () => {
    const root = repo({'run.sh': '#!/bin/sh\necho hi\n'})
    chmodSync(path.join(root, 'run.sh'), 0o755)
    const events: unknown[] = []
    const ctx = makeCtx(root, {onEditOutcome: (e) => events.push(e), afterEdit: async (p) => `hook saw ${p.join(',')}`})
    ctx.readCache.remember('run.sh', 'k', 'call_0')
    const r = await editFile.run({path: 'run.sh', old_str: 'echo hi', new_str: 'echo bye'}, ctx)
    expect(r.ok).toBe(true)
    expect(r.changed).toEqual(['run.sh'])
    expect(read(root, 'run.sh')).toBe('#!/bin/sh\necho bye\n')
    expect(statSync(path.join(root, 'run.sh')).mode & 0o777).toBe(0o755)
    expect(ctx.readCache.hit('run.sh', 'k')).toBeUndefined()
    expect(events).toEqual([{tool: 'edit_file', ok: true, level: 'exact'}])
    expect(r.content).toContain('hook saw run.sh')
    expect(r.content).toContain(formatLine(2, 'echo bye'))
  })

  it('checks the anchor first and says where the line went', async () => {
    const root = repo({'a.ts': SRC})
    const hash = lineHash('export function bg() {')
    const r = await editFile.run({path: 'a.ts', old_str: 'return this.fg', new_str: 'return this.bg', anchor: `4#${hash}`}, makeCtx(root))
    expect(r.ok).toBe(false)
    expect(r.content).toBe('Error: Anchor mismatch at line 4: the file changed since it was read; read it again (a line with that hash is now at line 5)')
    expect(read(root, 'a.ts')).toBe(SRC)
  })

  it('uses the anchor to pick one of several candidates', async () => {
    const root = repo({'a.ts': SRC})
    const events: {level?: string}[] = []
    const ctx = makeCtx(root, {onEditOutcome: (e) => events.push(e)})
    const none = await editFile.run({path: 'a.ts', old_str: '  return this.fg', new_str: '  return this.bg'}, ctx)
    expect(none.content).toContain('matches 2 places (lines 2, 6)')
    const r = await editFile.run({path: 'a.ts', old_str: '  return this.fg', new_str: '  return this.bg', anchor: `6#${lineHash('  return this.fg')}`}, ctx)
    expect(r.ok).toBe(true)
    expect(read(root, 'a.ts')).toBe(SRC.replace(/this\.fg\n}\n$/, 'this.bg\n}\n'))
    expect(events.map((e) => e.level)).toEqual(['exact', 'exact'])
  })

  it('applies an edit whose old_str carries read_file prefixes', async () => {
    const root = repo({'a.ts': SRC})
    const old = [5, 6].map((n) => formatLine(n, SRC.split('\n')[n - 1]!)).join('\n')
    const r = await editFile.run({path: 'a.ts', old_str: old, new_str: 'export function bg() {\n  return this.bg'}, makeCtx(root))
    expect(r.ok).toBe(true)
    expect(r.content).toContain('(matched when ignoring line-number prefixes)')
    expect(read(root, 'a.ts')).toBe(SRC.replace(/this\.fg\n}\n$/, 'this.bg\n}\n'))
  })

  it('refuses clearly: missing file, empty old_str, binary, outside the repo', async () => {
    const root = repo({'a.ts': SRC, 'b.bin': Buffer.from([1, 0, 2])})
    const outside = tempDir()
    dirs.push(outside)
    writeFileSync(path.join(outside, 'x.txt'), 'x\n')
    symlinkSync(path.join(outside, 'x.txt'), path.join(root, 'link.txt'))
    const ctx = makeCtx(root)
    expect((await editFile.run({path: 'new.ts', old_str: '', new_str: 'x'}, ctx)).content).toBe('Error: new.ts does not exist; use write_file to create it')
    expect((await editFile.run({path: 'a.ts', old_str: '', new_str: 'x'}, ctx)).content).toMatch(/old_str is empty/)
    expect((await editFile.run({path: 'b.bin', old_str: 'a', new_str: 'b'}, ctx)).content).toMatch(/binary/)
    expect((await editFile.run({path: 'link.txt', old_str: 'x', new_str: 'y'}, ctx)).content).toMatch(/outside the repository/)
    expect((await editFile.run({path: 'a.ts', old_str: 'x', new_str: 'y', anchor: 'line 3'}, ctx)).content).toMatch(/not like 12#a3f0/)
    expect(read(outside, 'x.txt')).toBe('x\n')
  })

  it('keeps CRLF, BOM and non-ASCII bytes, and finds an edit in a 20,000-line file', async () => {
    const big = Array.from({length: 20_000}, (_, i) => `line ${i} – ünïcode`).join('\r\n') + '\r\n'
    const root = repo({'big.txt': '\uFEFF' + big})
    const r = await editFile.run({path: 'big.txt', old_str: 'line 19998 – ünïcode\nline 19999 – ünïcode\n', new_str: 'changed\n'}, makeCtx(root))
    expect(r.ok).toBe(true)
    expect(read(root, 'big.txt')).toBe('\uFEFF' + big.replace('line 19998 – ünïcode\r\nline 19999 – ünïcode\r\n', 'changed\r\n'))
  })

  it('edits a Latin-1 file byte for byte outside the change', async () => {
    const latin1 = Buffer.from('caf\xe9 = 1\nna\xefve = 2\n', 'latin1')
    const root = repo({'l1.txt': latin1})
    const r = await editFile.run({path: 'l1.txt', old_str: 'na\xefve = 2', new_str: 'na\xefve = 3'}, makeCtx(root))
    expect(r.ok).toBe(true)
    expect(readFileSync(path.join(root, 'l1.txt')).equals(Buffer.from('caf\xe9 = 1\nna\xefve = 3\n', 'latin1'))).toBe(true)
    const bad = await editFile.run({path: 'l1.txt', old_str: 'na\xefve = 3', new_str: 'naïve = ✓'}, makeCtx(root))
    expect(bad.content).toMatch(/not UTF-8/)
  })

  it('answers malformed arguments with the expected shape', async () => {
    const root = repo({'a.ts': SRC})
    expect((await editFile.run({path: 'a.ts', old_str: 1, new_str: 'x'} as never, makeCtx(root))).content).toBe('Error: old_str and new_str must be strings')
    expect((await editFile.run({path: '.', old_str: 'a', new_str: 'b'}, makeCtx(root))).content).toMatch(/not a regular file/)
  })

  it('shows the no-match region the way read_file shows lines when anchors are off', async () => {
    const root = repo({'a.ts': SRC})
    const r = await editFile.run({path: 'a.ts', old_str: 'export function fg() {\n  return this.foreground', new_str: 'x'}, makeCtx(root, {editFormat: {anchors: false, patch: true}}))
    expect(r.content).toContain('\n1:export function fg() {\n2:  return this.fg\n')
  })

  it('says what a deletion left and where', async () => {
    const root = repo({'a.ts': SRC})
    const r = await editFile.run({path: 'a.ts', old_str: '\nexport function bg() {\n  return this.fg\n}\n', new_str: ''}, makeCtx(root))
    expect(r.content).toBe('edited a.ts: removed text, now at line 3')
    expect(read(root, 'a.ts')).toBe('export function fg() {\n  return this.fg\n}\n')
  })

  it('fills an empty file when old_str is empty', async () => {
    const root = repo({'empty.txt': ''})
    const r = await editFile.run({path: 'empty.txt', old_str: '', new_str: 'hello\n'}, makeCtx(root))
    expect(r.ok).toBe(true)
    expect(read(root, 'empty.txt')).toBe('hello\n')
  })

  it('refuses empty old_str and new_str on an empty file as no change, and leaves it empty', async () => {
    const root = repo({'empty.txt': ''})
    const events: {ok: boolean; level?: string}[] = []
    const r = await editFile.run({path: 'empty.txt', old_str: '', new_str: ''}, makeCtx(root, {onEditOutcome: (e) => events.push(e)}))
    expect(r.ok).toBe(false)
    expect(r.content).toBe('Error: empty.txt: the file is empty and new_str is empty; nothing to change (send new_str with the text to write)')
    expect(read(root, 'empty.txt')).toBe('')
    expect(events).toEqual([{tool: 'edit_file', ok: false, level: 'no_change'}])
  })

  it('applies a comment with marker words and refuses a marker for missing code, by the file\'s language', async () => {
    const py = 'class P:\n    def f(self):\n        return 1\n'
    const root = repo({'p.py': py, 'p.js': 'function f() {\n  a()\n  b()\n}\n'})
    const stub = await editFile.run({path: 'p.py', old_str: '        return 1', new_str: '        # Subclasses keep the existing behaviour unchanged.\n        ...'}, makeCtx(root))
    expect(stub.ok).toBe(true)
    expect(read(root, 'p.py')).toBe('class P:\n    def f(self):\n        # Subclasses keep the existing behaviour unchanged.\n        ...\n')
    const lazy = await editFile.run({path: 'p.js', old_str: '  a()\n  b()', new_str: '  ...\n  c()'}, makeCtx(root))
    expect(lazy.content).toBe('Error: p.js: new_str line 1 `...` stands for elided code, which would delete it; write new_str in full')
    expect(read(root, 'p.js')).toBe('function f() {\n  a()\n  b()\n}\n')
  })
})
