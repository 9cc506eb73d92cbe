import {describe, expect, it} from 'vitest'
import {cols, findShift, reindent} from '../../../src/core/edit/indent.js'
import {normLine, normText} from '../../../src/core/edit/normalize.js'
import {findElision} from '../../../src/core/edit/elision.js'
import {decodeHtmlEntities, decodeJsonEscapes, stripFence, stripPrefixes, trimBlankEdges} from '../../../src/core/edit/transforms.js'

describe('transforms', () => {
  it('strips read-output prefixes of every common form, only when all lines carry consecutive ones', () => {
    const cases: [string, string][] = [
      ['12#ab3f:  a\n13#zz09:  b', '  a\n  b'],
      ['    12→  a\n    13→  b', '  a\n  b'],
      ['12\t  a\n13\t  b', '  a\n  b'],
      ['12:   a\n13:   b', '  a\n  b'],
      ['L12:   a\n13:   b'.replace('\n13', '\nL13'), '  a\n  b'],
      ['12:  a\n13:  b', ' a\n b'],
      ['12:a\n13: b', 'a\n b'],
    ]
    for (const [text, want] of cases) expect(stripPrefixes({old: text.split('\n'), new: []})[0]?.old.join('\n')).toBe(want)
    expect(stripPrefixes({old: ['12: a', '14: b'], new: []})).toEqual([])
    expect(stripPrefixes({old: ['12: a', 'b'], new: []})).toEqual([])
    expect(stripPrefixes({old: ['12#ab3f:a', '13#zz09:b'], new: []})[0]?.prefixes).toEqual({form: 'hash', first: 12, hashes: ['ab3f', 'zz09']})
  })

  it('gives both readings of a prefix that may have a separator space, the likelier first', () => {
    const read = (lines: string[]) => stripPrefixes({old: lines, new: lines}).map((p) => p.old.join('|'))
    // N#hash: prints no space: the tight reading first, the spaced one second.
    expect(read(['3#ab3f:  * a', '4#zz09:  */'])).toEqual(['  * a|  */', ' * a| */'])
    // N: from other tools usually has one: spaced first.
    expect(read(['3:  * a', '4:  */'])).toEqual([' * a| */', '  * a|  */'])
    // One line without the space: only the tight reading.
    expect(read(['3:x', '4: y'])).toEqual(['x| y'])
    // Empty lines do not count against the spaced reading.
    expect(read(['3#ab3f: a', '4#zz09:', '5#aaaa: b'])).toEqual([' a|| b', 'a||b'])
  })

  it('trims blank edge lines from old and as many from new, keeping prefixes aligned', () => {
    const p = trimBlankEdges({old: ['', '', 'a', '', ''], new: ['', 'b', ''], prefixes: {form: 'hash', first: 4, hashes: ['x', 'y', 'z', 'w', 'v']}})
    expect(p).toMatchObject({old: ['a', ''], new: ['b', ''], wholeFirst: true, prefixes: {first: 6, hashes: ['z', 'w', 'v']}})
  })

  it('unwraps a code fence', () => {
    expect(stripFence({old: ['```ts', 'a', '```'], new: ['```ts', 'b', '```']})).toMatchObject({old: ['a', ''], new: ['b', '']})
    expect(stripFence({old: ['a', 'b'], new: []})).toBeUndefined()
  })

  it('decodes one level of JSON escaping and HTML entities', () => {
    expect(decodeJsonEscapes(String.raw`a\n\t\"b\" \\n \u00e9`)).toBe('a\n\t"b" \\n é')
    expect(decodeHtmlEntities('&lt;a href=&quot;x&quot;&gt; &amp;&amp; &#39;y&#x27;')).toBe('<a href="x"> && \'y\'')
  })

  it('finds elisions but not spread syntax or real comments', () => {
    for (const l of ['...', '…', '// ...', '# ...', '/* ... */', '// ... existing code ...', '  // rest of the function unchanged', '<!-- ... -->']) expect(findElision([l]), l).toBe(0)
    for (const l of ['...args,', 'foo(...rest)', '// wait... why', 'x = 1']) expect(findElision([l]), l).toBe(-1)
  })
})

describe('normalisation', () => {
  it('normText equals normLine and maps back to the original offsets', () => {
    const line = '\t  const   x = \u2018a\u2019;  '
    for (const o of [{}, {rstrip: true}, {rstrip: true, collapse: true}, {rstrip: true, collapse: true, stripIndent: true, quotes: true}]) expect(normText(line, o)).toBe(normLine(line, o).s)
    const n = normLine(line, {rstrip: true, collapse: true, stripIndent: true})
    expect(n.s).toBe('const x = \u2018a\u2019;')
    expect(line.slice(n.start[6]!, n.end[n.s.length - 1]!)).toBe('x = \u2018a\u2019;')
  })

  it('maps NFD text onto NFC', () => {
    expect(normText('cafe\u0301', {nfc: true})).toBe('caf\u00e9')
  })
})

describe('indentation', () => {
  it('finds a constant shift, tabs as spaces, and 2 vs 4 steps; none when nesting differs', () => {
    expect(findShift([{file: '\t', model: '    '}, {file: '\t\t', model: '        '}], true)).toMatchObject({tabw: 4, scale: 1, delta: 0})
    expect(findShift([{file: '  ', model: '    '}, {file: '    ', model: '        '}], false)).toMatchObject({scale: 0.5, delta: 0})
    expect(findShift([{file: '      ', model: '  '}, {file: '        ', model: '    '}], false)).toMatchObject({scale: 1, delta: 4})
    expect(findShift([{file: '    ', model: '    '}, {file: '        ', model: '    '}], false)).toBeUndefined()
    expect(cols('\t  ', 4)).toBe(6)
    expect(reindent('    x', {tabw: 4, scale: 1, delta: 4, same: false, useTabs: true})).toBe('\t\tx')
  })
})
