import {describe, expect, it} from 'vitest'
import {applyPatch, parsePatch} from '../../../src/core/edit/index.js'

const FILE = ['import a from "a"', '', 'function one() {', '  return 1', '}', '', 'function two() {', '  return 2', '}', ''].join('\n')

describe('parsePatch', () => {
  it('reads headers, hunks and the no-newline marker', () => {
    const h = parsePatch('--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n\\ No newline at end of file\n')
    expect(h).toEqual([{header: '@@ -1,2 +1,2 @@', oldStart: 1, old: ['a'], new: ['b'], oldNoNewline: false, newNoNewline: true}])
  })

  it('says what is wrong with a patch it cannot read', () => {
    expect(parsePatch('just text')).toMatch(/no @@ hunk header/)
    expect(parsePatch('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n')).toMatch(/more than one file/)
  })
})

describe('applyPatch', () => {
  it('applies several hunks located by context even with wrong line numbers', () => {
    const p = '@@ -30,3 +30,3 @@\n function one() {\n-  return 1\n+  return 10\n }\n@@ -1,3 +1,3 @@\n function two() {\n-  return 2\n+  return 20\n }\n'
    const r = applyPatch(FILE, p)
    expect(r.ok && r.text).toBe(FILE.replace('return 1', 'return 10').replace('return 2', 'return 20'))
  })

  it('uses the same normalisations for context (blank line without its space, CRLF file)', () => {
    const crlf = FILE.replace(/\n/g, '\r\n')
    const p = '@@ -1,4 +1,5 @@\n import a from "a"\n\n+import b from "b"\n function one() {\n'
    const r = applyPatch(crlf, p)
    expect(r.ok && r.text).toBe(crlf.replace('import a from "a"\r\n\r\n', 'import a from "a"\r\n\r\nimport b from "b"\r\n'))
  })

  it('locates context written with the wrong indentation, and re-indents added lines', () => {
    const p = '@@ -3,3 +3,4 @@\n function one() {\n     return 1\n+    // one\n }\n'
    const r = applyPatch(FILE, p)
    expect(r.ok && r.text).toBe(FILE.replace('  return 1\n', '  return 1\n  // one\n'))
  })

  it('handles a file without a final newline', () => {
    const r = applyPatch('a\nb', '@@ -1,2 +1,2 @@\n a\n-b\n+c\n')
    expect(r.ok && r.text).toBe('a\nc')
  })

  it('picks the place nearest the header when the context matches several', () => {
    const t = 'x\n}\ny\n}\n'
    const r = applyPatch(t, '@@ -4,1 +4,1 @@\n-}\n+};\n')
    expect(r.ok && r.text).toBe('x\n}\ny\n};\n')
  })

  it('refuses several equally near places', () => {
    const r = applyPatch('}\n}\n', '@@ @@\n-}\n+};\n')
    expect(r.ok).toBe(false)
  })

  it('writes nothing when one hunk fails, and reports per hunk', () => {
    const p = '@@ -3,3 +3,3 @@\n function one() {\n-  return 1\n+  return 10\n }\n@@ -7,3 +7,3 @@\n function three() {\n-  return 3\n+  return 30\n }\n'
    const r = applyPatch(FILE, p)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.message).toBe('1 of 2 hunks failed; nothing was written')
    expect(r.report[0]).toMatch(/^hunk 1 .*: ok at line 3/)
    expect(r.report[1]).toMatch(/^hunk 2 .*: its context was not found/)
  })

  it('matches context only at whole lines', () => {
    expect(applyPatch('xa\nb\n', '@@ -1,2 +1,2 @@\n a\n-b\n+c\n').ok).toBe(false)
    expect(applyPatch('a\nbc', '@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n').ok).toBe(false)
  })

  it('adds lines at the header position when a hunk has no context', () => {
    const r = applyPatch('a\nb\n', '@@ -1,0 +2,1 @@\n+new\n')
    expect(r.ok && r.text).toBe('a\nnew\nb\n')
  })
})
