import {describe, expect, it} from 'vitest'
import {applyEdit, locate} from '../../../src/core/edit/index.js'
import {formatLine} from '../../../src/core/tools/anchors.js'

const ok = (text: string, o: string, n: string, anchorLine?: number) => {
  const r = applyEdit(text, o, n, {anchorLine})
  if (!r.ok) throw new Error(r.message)
  return r
}
const refused = (text: string, o: string, n: string) => {
  const r = applyEdit(text, o, n)
  if (r.ok) throw new Error(`applied at ${r.level}: ${JSON.stringify(r.text)}`)
  return r
}

const PY = 'def f(x):\n    if x:\n        return 1\n    return 2\n'

describe('applyEdit cascade', () => {
  it('applies an exact unique match and reports the level and line', () => {
    const r = ok(PY, '        return 1', '        return 3')
    expect(r).toMatchObject({level: 'exact', line: 3, text: PY.replace('return 1', 'return 3')})
  })

  it('keeps CRLF line endings for LF old_str/new_str and adds CRLF to new lines', () => {
    const r = ok('a\r\nb\r\nc\r\n', 'a\nb\n', 'a\nB\nx\n')
    expect(r.text).toBe('a\r\nB\r\nx\r\nc\r\n')
    expect(r.level).toBe('line-endings')
  })

  it('forgives trailing blanks and keeps the file bytes of unchanged lines (Markdown hard break)', () => {
    const md = 'Line one  \nLine two\nLine three\n'
    expect(ok(md, 'Line one\nLine two\n', 'Line one\nLine 2\n').text).toBe('Line one  \nLine 2\nLine three\n')
  })

  it('forgives alignment runs inside a line', () => {
    const t = 'const a    = 1\nconst bcd  = 2\n'
    const r = ok(t, 'const a = 1\nconst bcd = 2', 'const a = 1\nconst bcd = 3')
    expect(r.text).toBe('const a    = 1\nconst bcd  = 3\n')
    expect(r.level).toBe('inner-blanks')
  })

  it('drops blank lines at the edges of old_str', () => {
    expect(ok('x\ny\nz\n', '\n\ny\n\n\n', '\n\nY\n\n\n').text).toBe('x\nY\nz\n')
  })

  it('keeps a missing final newline missing', () => {
    const r = ok('x = 1\ny = 2', 'y = 2\n', 'y = 3\n')
    expect(r).toMatchObject({text: 'x = 1\ny = 3', level: 'final-newline'})
  })

  it('re-indents by a constant offset (Python) and keeps structure', () => {
    const r = ok(PY, 'if x:\n    return 1\n', 'if x:\n    y = 1\n    return y\n')
    expect(r.text).toBe('def f(x):\n    if x:\n        y = 1\n        return y\n    return 2\n')
    expect(r.level).toBe('indentation')
  })

  it('does not double the indentation of a first line copied bare but rewritten indented', () => {
    expect(ok(PY, 'return 2', '    return 3').text).toBe(PY.replace('    return 2', '    return 3'))
  })

  it('maps spaces written for tabs back to tabs', () => {
    const t = '\tfoo();\n\tbar();\n'
    expect(ok(t, '    foo();\n    bar();', '    foo();\n    if (x) {\n        baz();\n    }\n    bar();').text).toBe('\tfoo();\n\tif (x) {\n\t\tbaz();\n\t}\n\tbar();\n')
  })

  it('refuses when the indentation structure differs (not a constant shift), and says so', () => {
    const r = refused(PY, '  if x:\n  return 1\n', '  if x:\n  return 3\n')
    expect(r.message).toMatch(/^old_str was not found as written: its lines are at lines 2-3, but indented differently/)
  })

  it('points at the stale line, not at a short line sharing its words', () => {
    const t = 'let rows = [];\nfoo()\nlet visible = width(strip(rows[rows.length - 1]));\n'
    const r = refused(t, 'let visible = width(strip(rows.at(-1)));', 'x')
    expect(r.message).toContain('(closest: line 3 `let visible = width(strip(rows[rows.length - 1]));`)')
  })

  it('strips N#hash: prefixes copied from read_file, and other read formats', () => {
    const lines = PY.split('\n')
    const withHash = [2, 3].map((n) => formatLine(n, lines[n - 1]!)).join('\n')
    expect(ok(PY, withHash, '    if x:\n        return 9').text).toBe(PY.replace('return 1', 'return 9'))
    expect(ok(PY, '     2→    if x:\n     3→        return 1', '     2→    if x:\n     3→        return 7').text).toBe(PY.replace('return 1', 'return 7'))
    expect(ok(PY, 'L2:     if x:\nL3:         return 1', 'L2:     if x:\nL3:         return 5').level).toBe('line-prefixes')
  })

  it('drops N#hash: prefixes copied into new_str only, and asks for old_str without half-copied ones', () => {
    expect(ok(PY, '        return 1', '3#abcd:        return 9').text).toBe(PY.replace('return 1', 'return 9'))
    const lines = PY.split('\n')
    expect(refused(PY, `${formatLine(2, lines[1]!)}\n        return 1`, 'x').message).toMatch(/N#hash: prefixes on some lines but not all/)
    expect(refused(PY, `${formatLine(2, lines[1]!)}\n3#abcd:        return 5`, 'x').message).toContain('`return 5` is not there (closest: line 3 `return 1`)')
  })

  it('refuses plain number prefixes that disagree with the file', () => {
    refused(PY, '7:     if x:\n8:         return 1', '7:     if x:\n8:         return 5')
  })

  it('decodes one level of JSON escaping in both strings', () => {
    const t = 'const s = "a";\nfoo("x");\n'
    const r = ok(t, 'const s = \\"a\\";\\nfoo(\\"x\\");', 'const s = \\"b\\";\\nfoo(\\"x\\");')
    expect(r).toMatchObject({text: 'const s = "b";\nfoo("x");\n', level: 'escaping'})
  })

  it('decodes HTML entities', () => {
    expect(ok('if (a && b > c) {\n', 'if (a &amp;&amp; b &gt; c) {', 'if (a &amp;&amp; b &gt;= c) {').text).toBe('if (a && b >= c) {\n')
  })

  it('matches typographic quotes typed for straight ones and writes straight ones', () => {
    const t = "const msg = 'hello'\n"
    expect(ok(t, 'const msg = \u2018hello\u2019', 'const msg = \u2018bye\u2019').text).toBe("const msg = 'bye'\n")
  })

  it('keeps a real ’ in an unchanged line, and around the change in a changed one', () => {
    const t = 'Don\u2019t panic\nsecond\n'
    expect(ok(t, "Don't panic\nsecond", "Don't panic\nthird").text).toBe('Don\u2019t panic\nthird\n')
    expect(ok(t, "Don't panic\nsecond", "Don't worry\nsecond").text).toBe('Don\u2019t worry\nsecond\n')
  })

  it('matches NFD text against an NFC file and writes NFC', () => {
    const t = 'caf\u00e9 = 1\n'
    const r = ok(t, 'cafe\u0301 = 1', 'cafe\u0301 = 2')
    expect(r.text).toBe('caf\u00e9 = 2\n')
    expect(r.level).toBe('unicode')
  })

  it('matches lines read_file cut (…[+N chars]) and keeps their unseen rest', () => {
    const long = `const data = "${'x'.repeat(600)}"`
    const t = `a()\n${long}\nb()\n`
    const shown = `${long.slice(0, 500)}…[+${long.length - 500} chars]`
    // context line kept whole
    expect(ok(t, `a()\n${shown}\nb()`, `a2()\n${shown}\nb()`).text).toBe(`a2()\n${long}\nb()\n`)
    // visible part changed, marker kept: the rest survives
    const changed = shown.replace('const data', 'let data')
    expect(ok(t, `2#abcd:${shown}\n3#abcd:b()`, `2#abcd:${changed}\n3#abcd:b()`).text).toBe(`a()\n${long.replace('const data', 'let data')}\nb()\n`)
    // marker dropped: refused, file untouched
    expect(applyEdit(t, `${shown}\nb()`, `let data = 1\nb()`)).toMatchObject({ok: false, kind: 'cut_line'})
  })

  it('keeps the BOM', () => {
    expect(ok('\uFEFFa\nb\n', 'a\nb', 'a\nc').text).toBe('\uFEFFa\nc\n')
  })

  it('never changes anything outside the matched region', () => {
    const t = 'x  \n\tfoo()  \ny\r\n'
    const r = ok(t, 'foo()', 'bar()')
    expect(r.text).toBe('x  \n\tbar()  \ny\r\n')
  })
})

describe('applyEdit: readings of copied prefixes, one-line escapes, bytes of unchanged lines, empty files', () => {
  const DOC = '/**\n * Hello\n * world\n */\nfunction f() {}\n'
  const hashSp = (n: number, t: string) => formatLine(n, t.split('\n')[n - 1]!).replace(/^(\d+#\w{4}:)/, '$1 ')

  it('takes the prefix reading that matches exactly over one that needs re-indenting', () => {
    // N#hash: plus a separator space: the spaced reading is exact; new_str lines written without prefixes keep their indentation.
    const old = [2, 3].map((n) => hashSp(n, DOC)).join('\n')
    expect(ok(DOC, old, ' * Hello\n * world\n * more').text).toBe('/**\n * Hello\n * world\n * more\n */\nfunction f() {}\n')
    expect(ok(PY, [2, 3].map((n) => hashSp(n, PY)).join('\n'), '    if x:\n        return 9').text).toBe(PY.replace('return 1', 'return 9'))
    // N: copied tight onto lines indented by one space: the tight reading is exact.
    expect(ok(DOC, '2: * Hello\n3: * world', '2: * Hello\n3: * world\n * more').text).toBe('/**\n * Hello\n * world\n * more\n */\nfunction f() {}\n')
    const obj = 'a = {\n b: 1,\n c: 2\n}\n'
    expect(ok(obj, '2: b: 1,\n3: c: 2', ' b: 1,\n c: 2,\n d: 4').text).toBe('a = {\n b: 1,\n c: 2,\n d: 4\n}\n')
  })

  it('still re-indents when every reading needs it, in the likelier reading', () => {
    // "N: " prefixes and the block dedented by 4: the spaced reading's frame, so an added bare line lands right.
    expect(ok(PY, '2: if x:\n3:     return 1', '2: if x:\n3:     return 7').text).toBe(PY.replace('return 1', 'return 7'))
    expect(ok(PY, '2: if x:\n3:     return 1', '2: if x:\n    y = 1\n3:     return y').text).toBe(PY.replace('        return 1', '        y = 1\n        return y'))
  })

  it('decodes \\\\ and \\\' in one line when no literal reading matches, and only then', () => {
    expect(ok("x = 'it'\ny = 'a'\n", String.raw`y = \'a\'`, String.raw`y = \'b\'`)).toMatchObject({text: "x = 'it'\ny = 'b'\n", level: 'escaping'})
    expect(ok('re = /\\d+/\n', String.raw`re = /\\d+/`, String.raw`re = /\\w+/`).text).toBe('re = /\\w+/\n')
    // The literal reading matches: it wins, nothing is decoded.
    expect(ok('s = "a\\\\b"\n', 's = "a\\\\b"', 's = "a\\\\c"')).toMatchObject({text: 's = "a\\\\c"\n', level: 'exact'})
    // The decoded reading is found twice: refused like any ambiguous match.
    expect(refused("a('x')\nb('x')\n", String.raw`(\'x\')`, String.raw`(\'y\')`).kind).toBe('ambiguous')
  })

  it('keeps an unchanged line byte-identical when blanks were normalised, and never cuts a run of blanks', () => {
    expect(ok('if (x)  {\n  a()\n}\n', 'if (x) {\n  a()\n}', 'if (x)  {\n  b()\n}').text).toBe('if (x)  {\n  b()\n}\n')
    expect(ok('x =  {\n  a: 1\n}\n', 'x = {\n  a: 1\n}', 'x =  {\n  a: 2\n}').text).toBe('x =  {\n  a: 2\n}\n')
    // Two blanks before { in old_str, one in the file, the line changed before them: the blank survives.
    expect(ok('function f(a) {\n  return a\n}\n', 'function f(a)  {\n  return a', 'function f(a, b) {\n  return a').text).toBe('function f(a, b) {\n  return a\n}\n')
    expect(ok('h1 {\n  margin: 0;\n}\n', 'h1  {\n  margin: 0;', 'h1, h2 {\n  margin: 0;').text).toBe('h1, h2 {\n  margin: 0;\n}\n')
  })

  it('fills an empty file from an empty old_str, and refuses empty strings on it as no change', () => {
    expect(ok('', '', 'hello\n')).toMatchObject({text: 'hello\n', line: 1, endLine: 1})
    expect(ok('\uFEFF', '', 'x')).toMatchObject({text: '\uFEFFx'})
    expect(refused('', '', '')).toMatchObject({kind: 'no_change'})
    expect(refused('a\n', '', 'b')).toMatchObject({kind: 'empty_old'})
  })
})

describe('applyEdit refusals', () => {
  it('refuses several candidates with every line number', () => {
    const r = refused('a\n  x\nb\n  x\n', 'x', 'y')
    expect(r).toMatchObject({kind: 'ambiguous'})
    expect(r.message).toContain('lines 2, 4')
  })

  it('refuses one block found twice once indentation is ignored', () => {
    const t = 'if a:\n  go()\nif b:\n    if a:\n      go()\n'
    const r = refused(t, '   if a:\n     go()', '   if a:\n     stop()')
    expect(r.message).toMatch(/2 places when ignoring indentation \(lines 1-2, 4-5\)/)
  })

  it('an anchor line picks one of several candidates', () => {
    expect(ok('a\n  x\nb\n  x\n', 'x', 'y', 4).text).toBe('a\n  x\nb\n  y\n')
    expect(applyEdit('a\n  x\nb\n  x\n', 'x', 'y', {anchorLine: 3})).toMatchObject({ok: false, message: expect.stringContaining('anchor line 3 does not pick one')})
  })

  it('refuses a unique old_str that lies away from a valid anchor (look-alike confusion)', () => {
    const t = 'get fg() {\n  return this.fg\n}\nget bg() {\n  return this.fg\n}\n'
    const r = applyEdit(t, 'get fg() {\n  return this.fg', 'get fg() {\n  return this.color', {anchorLine: 4})
    expect(r).toMatchObject({ok: false, kind: 'anchor_elsewhere'})
  })

  it('treats a line framed by newlines in old_str as a whole line', () => {
    expect(applyEdit('call(foo)\n', '\nfoo\n\n', '\nbar\n\n').ok).toBe(false)
    expect(applyEdit('call(foo)\n', 'foo', 'bar').ok).toBe(true)
  })

  it('maps 4-space steps onto a 2-space file', () => {
    const t = 'a {\n  b {\n    c\n  }\n}\n'
    expect(ok(t, 'a {\n    b {\n        c', 'a {\n    b {\n        c\n        d {\n            e\n        }').text).toBe('a {\n  b {\n    c\n    d {\n      e\n    }\n  }\n}\n')
  })

  it('refuses a stale token and shows the most similar region with anchors', () => {
    const r = refused(PY, '    if x:\n        return 5', '    if x:\n        return 6')
    expect(r.kind).toBe('no_match')
    expect(r.message).toContain('`return 5` is not there (closest: line 3 `return 1`)')
    expect(r.message).toContain(formatLine(3, '        return 1'))
  })

  it('refuses an elided middle and says to copy old_str in full', () => {
    for (const el of ['...', '# ...', '// ... existing code ...', '/* ... */']) {
      const r = refused(PY, `def f(x):\n${el}\n    return 2`, 'def g(x):\n    return 2')
      expect(r.kind).toBe('elision')
      expect(r.message).toContain('copied in full')
    }
  })

  it('refuses a new_str that elides code, but not an example that shows // ...', () => {
    expect(refused(PY, 'def f(x):', 'def f(x, y):\n    # ... rest unchanged').kind).toBe('elided_new')
    expect(refused(PY, '    if x:\n        return 1\n    return 2', '    # ...\n    return 2').kind).toBe('elided_new')
    const md = '# Usage\n\nSee below.\n'
    expect(ok(md, 'See below.', 'See below:\n\n```js\napp.get("/", (req, res) => {\n  // ...\n})\n```').text).toContain('  // ...\n')
  })

  it('refuses a new_str JSON-encoded once more than old_str', () => {
    const r = refused(PY, '    if x:\n        return 1', '    if x:\\n        return 3')
    expect(r).toMatchObject({kind: 'encoded_new'})
    expect(ok('s = "a"\n', 's = "a"', 's = "a\\nb"').text).toBe('s = "a\\nb"\n')
  })

  it('says where the text is when copied line-number prefixes are stale', () => {
    const r = refused(PY, '7:     if x:\n8:         return 1', '7:     if x:\n8:         return 5')
    expect(r.message).toBe("old_str's line-number prefixes say line 7, but that text is at line 2 now; copy the lines from a fresh read, or leave the prefixes out")
  })

  it('refuses identical strings and an empty old_str', () => {
    expect(refused(PY, 'if x:', 'if x:').kind).toBe('no_change')
    expect(refused(PY, '', 'z').kind).toBe('empty_old')
  })

  it('refuses two look-alike blocks mixed', () => {
    const t = 'get fg() {\n  return this.fg\n}\nget bg() {\n  return this.bg\n}\n'
    expect(refused(t, 'get bg() {\n  return this.fg\n}', 'get bg() {\n  return this.color\n}').kind).toBe('no_match')
  })

  it('does not cut through a word when matching part of a line fuzzily', () => {
    expect(locate('foobar  = 1\n', 'bar = 1').matches).toHaveLength(0)
  })
})
