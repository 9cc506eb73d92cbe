import {describe, expect, it} from 'vitest'
import {elidedNew, findElision, lineKeys, markerKind, markerLang} from '../../../src/core/edit/elision.js'
import {applyEdit} from '../../../src/core/edit/index.js'

const JS = markerLang('a.js')

describe('markerKind: a line that is nothing but an elision marker', () => {
  it('recognises marker forms in every comment syntax', () => {
    const markers: [string, string][] = [
      ['a.js', '// ...'],
      ['a.js', '  // ... existing code ...'],
      ['a.js', '//...existing code...'],
      ['a.js', '/* (unchanged) */'],
      ['a.js', '// rest of the function unchanged'],
      ['a.js', '// … 12 lines omitted …'],
      ['a.js', '// --- snip ---'],
      ['a.js', '// <snip>'],
      ['a.js', '// ... (error handling unchanged)'],
      ['a.js', '// rest of the reducer stays the same'],
      ['a.js', '// other routes unchanged'],
      ['a.js', '// no changes below'],
      ['a.tsx', '{/* ... existing JSX ... */}'],
      ['a.py', '# rest of the function unchanged'],
      ['a.py', '# same as before'],
      ['a.sql', '-- ... rest of query unchanged'],
      ['a.html', '<!-- ... -->'],
      ['a.css', '/* ... existing styles ... */'],
      ['a.js', '...'],
      ['a.js', '... existing code ...'],
      ['a.js', '(unchanged)'],
    ]
    for (const [file, line] of markers) expect(markerKind(line, markerLang(file)), line).toBeDefined()
  })

  it('never takes a sentence about the code for a marker, whatever words it has', () => {
    const prose = [
      '// On POSIX it returns the path unchanged.',
      '# Keep existing code paths working',
      "// 'open' and 'error' pass through unchanged",
      '// If the time zone is omitted, the timestamp is assumed to be specified in UTC.',
      '// Behaviour remains the same for callers that pass a string.',
      '// Unchanged entries are skipped.',
      '// Omitted keys are left as-is',
      '// the rest of the string is literal',
      '// then spread the rest of the options',
      '// tokExprAllowed stays unchanged',
      '// same as File',
      '// wait... why',
      '// Loading...',
      '// ...and then we retry',
      '// **/**/<rest> -> **/<rest>',
      '// leave it 100% untouched.',
    ]
    for (const line of prose) expect(markerKind(line, JS), line).toBeUndefined()
  })

  it('leaves code alone: spread syntax, calls, strings', () => {
    for (const line of ['...args,', 'foo(...rest)', '{...props}', "console.log('... existing code ...')", 'x = 1']) expect(markerKind(line, JS), line).toBeUndefined()
  })

  it('reads # and * as headings and bullets in Markdown, and a bare ... as prose there', () => {
    const md = markerLang('README.md')
    expect(markerKind('# rest of the file unchanged', md)).toBeUndefined()
    expect(markerKind('<!-- ... -->', md)).toBe('dots')
    expect(findElision(['...'], {lang: md})).toBe(-1)
  })
})

describe('elidedNew: a marker where code goes missing', () => {
  const old = '  const a = read(cfg);\n  const b = merge(a);\n  validate(b);\n  return b;'
  it('refuses a marker that takes the place of old_str lines', () => {
    expect(elidedNew(old, '  // ... existing code ...\n  return Object.freeze(b);')).toEqual({line: 0, why: 'missing'})
  })

  it('refuses a marker at an edge of new_str: it stands for the file beyond old_str', () => {
    expect(elidedNew('def f(x):', 'def f(x, y):\n    # ... rest unchanged')).toEqual({line: 1, why: 'edge'})
    expect(elidedNew('b()', '// ... existing imports ...\nb()')).toEqual({line: 0, why: 'edge'})
  })

  it('refuses a marker between old_str and lines copied from the file before it', () => {
    const before = lineKeys(['function load(cfg) {'])
    const newStr = 'function load(cfg) {\n  // ... existing code ...\n  return result;'
    expect(elidedNew('  return results;', newStr)).toBeUndefined()
    expect(elidedNew('  return results;', newStr, {before})).toEqual({line: 1, why: 'edge'})
  })

  it('applies a marker where nothing is missing, one old_str or the file has, and a sentence in its place', () => {
    expect(elidedNew('run()', 'run()\n\nfunction stub() {\n  // ...\n}')).toBeUndefined()
    expect(elidedNew('a()\n// ...\nb()', 'a2()\n// ...\nb()')).toBeUndefined()
    expect(elidedNew(old, '  // ...\n  return b;', {fileLines: lineKeys(['// ...'])})).toBeUndefined()
    expect(elidedNew(old, '  // Validation happens in merge(); the rest stays unchanged.\n  return merge(read(cfg));')).toBeUndefined()
  })

  it('reads a marker-like line that ends a comment sentence as part of it', () => {
    expect(elidedNew('// TODO\nfunction f() {', '// Checked here so it is safe for the\n// rest of the code.\nfunction f() {')).toBeUndefined()
  })

  it('compares lines without read prefixes', () => {
    expect(elidedNew('3#aaaa:a()\n4#bbbb:b()\n5#cccc:c()', '3#aaaa:a()\n4#bbbb:// ...\n5#cccc:c2()')).toEqual({line: 1, why: 'missing'})
  })

  it('takes Python stubs and YAML document ends as code, an ellipsis amid Python code as a marker', () => {
    const py = markerLang('a.py')
    expect(elidedNew('    def f(self):\n        return 1', '    def f(self):\n        ...', {lang: py})).toBeUndefined()
    expect(elidedNew('        x = 1\n        y = 2\n        return x + y', '        ...\n        return x + y + 1', {lang: py})).toEqual({line: 0, why: 'missing'})
    expect(elidedNew('- run: a\n', '- run: a\n...\n', {lang: markerLang('ci.yml')})).toBeUndefined()
  })
})

describe('applyEdit with elision markers', () => {
  const PY = 'def f(x):\n    if x:\n        return 1\n    return 2\n'
  it('applies a comment that merely contains marker words, even where lines are removed', () => {
    const r = applyEdit(PY, '    if x:\n        return 1\n    return 2', '    # Keep existing code paths working\n    return 1 if x else 2', {path: 'f.py'})
    expect(r.ok && r.text).toBe('def f(x):\n    # Keep existing code paths working\n    return 1 if x else 2\n')
  })

  it('refuses with a short message that says what to send', () => {
    const r = applyEdit(PY, '    if x:\n        return 1\n    return 2', '    # ...\n    return 3', {path: 'f.py'})
    expect(r).toMatchObject({ok: false, kind: 'elided_new'})
    expect(!r.ok && r.message).toBe('new_str line 1 `# ...` stands for elided code, which would delete it; write new_str in full')
  })

  it('refuses a marker amid context copied from right before old_str, once the place is known', () => {
    const t = 'function f() {\n  a()\n  b()\n  return c()\n}\n'
    const r = applyEdit(t, '  return c()', 'function f() {\n  // ... existing code ...\n  return d()', {path: 'f.js'})
    expect(r).toMatchObject({ok: false, kind: 'elided_new', message: expect.stringContaining('stands for code outside old_str')})
  })

  it('says an old_str with a prose comment was not found, not that it elides code', () => {
    const r = applyEdit(PY, '    # returns x unchanged\n    return 2', '    return 3')
    expect(r).toMatchObject({ok: false, kind: 'no_match'})
  })
})
