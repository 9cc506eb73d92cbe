import {readFileSync, readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {applyEdit} from '../../../src/core/edit/index.js'
import {formatLine} from '../../../src/core/tools/anchors.js'
import {projectRoot} from '../../support/repo.js'

// Generated slips on every corpus file: take a unique block, make one change in the file's own frame
// (the right answer), then send old/new with one formatting slip. The edit must give exactly the right
// answer, or be refused as ambiguous; never anything else.

const dir = path.join(projectRoot, 'test/fixtures/edits/files')
const files: string[] = []
const walk = (d: string) => {
  for (const n of readdirSync(d).sort()) {
    const p = path.join(d, n)
    if (statSync(p).isDirectory()) walk(p)
    else files.push(p)
  }
}
walk(dir)

let seed = 12345
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed % n
}
const indent = (x: string) => /^[ \t]*/.exec(x)![0]
const minIndent = (l: string[]) => Math.min(...l.filter((x) => x.trim()).map((x) => indent(x).length))
const dedent = (l: string[]) => {
  const n = minIndent(l)
  return l.map((x) => x.slice(Math.min(n, indent(x).length)))
}

type Slip = (lines: string[], firstLine: number, file: {tabs: boolean}) => string[] | null
const SLIPS: Record<string, Slip> = {
  'line-endings': (l) => l,
  'trailing-blanks': (l) => l.map((x) => x.replace(/[ \t]+$/, '')),
  'inner-blanks': (l) => (l.some((x) => /\S[ \t]{2,}\S/.test(x)) ? l.map((x) => indent(x) + x.slice(indent(x).length).replace(/[ \t]{2,}/g, ' ')) : null),
  'blank-lines': (l) => ['', '', ...l, '', ''],
  dedent: (l) => (minIndent(l) > 0 ? dedent(l) : null),
  'shift+4': (l) => l.map((x) => (x.trim() ? `    ${x}` : x)),
  'first-line-bare': (l) => (/^[ \t]+/.test(l[0]!) ? [l[0]!.trimStart(), ...l.slice(1)] : null),
  'tabs-as-spaces': (l, _n, f) => (f.tabs ? l.map((x) => x.replace(/^\t+/, (t) => '    '.repeat(t.length))) : null),
  '4-space-steps': (l) => (l.some((x) => /^ {2}\S/.test(x)) && !l.some((x) => x.startsWith('\t')) ? l.map((x) => x.replace(/^ +/, (m) => m + m)) : null),
  'line-prefixes': (l, n) => l.map((x, i) => formatLine(n + i, x)),
  escaping: (l) => [JSON.stringify(l.join('\n')).slice(1, -1)],
  'html-entities': (l) => (l.some((x) => /[&<>"]/.test(x)) ? l.map((x) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')) : null),
  quotes: (l) => (l.some((x) => /['"]/.test(x)) ? l.map((x) => x.replace(/'/g, '\u2019').replace(/"/g, '\u201D')) : null),
  unicode: (l) => (l.some((x) => x !== x.normalize('NFD')) ? l.map((x) => x.normalize('NFD')) : null),
  'code-fence': (l) => ['```js', ...l, '```'],
  'non-breaking-spaces': (l) => (l.some((x) => /\S \S/.test(x)) ? l.map((x) => indent(x) + x.slice(indent(x).length).replace(/ /g, '\u00A0')) : null),
  combined: (l) => ['', ...dedent(l).map((x) => x.replace(/[ \t]+$/, '')), ''],
}

describe('generated formatting slips on the corpus files', () => {
  it('applies to exactly the right bytes or refuses as ambiguous, never wrong', () => {
    const tally: Record<string, {applied: number; ambiguous: number}> = {}
    const wrong: string[] = []
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      const body = text.replace(/^\uFEFF/, '')
      const eol = body.includes('\r\n') ? '\r\n' : '\n'
      const lines = body.split('\n').map((x) => x.replace(/\r$/, ''))
      const tabs = lines.some((x) => x.startsWith('\t'))
      for (let t = 0; t < 40; t++) {
        const a = rnd(lines.length - 3)
        const block = lines.slice(a, a + 2 + rnd(5))
        const j = block.findIndex((x, i) => i >= 1 && x.trim() !== '')
        if (j < 0) continue
        const kind = t % 4
        const ind = indent(block[j]!)
        const changed =
          kind === 3
            ? [...block.slice(0, j + 1), `${ind}added()`, ...block.slice(j + 1)]
            : block.map((x, i) => (i !== j ? x : kind === 0 ? `${x} tail` : kind === 1 ? `${ind}head ${x.slice(ind.length)}` : x.replace(/[A-Za-z_]\w*/, 'renamed')))
        const exact = block.join(eol)
        const at = body.indexOf(exact)
        if (changed.join() === block.join() || at < 0 || body.indexOf(exact, at + 1) >= 0) continue
        const expected = text.replace(exact, changed.join(eol))
        for (const [name, slip] of Object.entries(SLIPS)) {
          const o = slip(block, a + 1, {tabs})
          const n = name === 'line-prefixes' ? changed.map((x, i) => (i < block.length && x === block[i] ? formatLine(a + 1 + i, x) : x)) : slip(changed, a + 1, {tabs})
          if (!o || !n) continue
          const r = applyEdit(text, o.join('\n'), n.join('\n'))
          const s = (tally[name] ??= {applied: 0, ambiguous: 0})
          if (r.ok && r.text === expected) s.applied++
          else if (!r.ok && r.kind === 'ambiguous') s.ambiguous++
          else wrong.push(`${name} ${path.basename(f)}:${a + 1} ${r.ok ? `applied at ${r.level}` : r.message.split('\n')[0]}`)
        }
      }
    }
    expect(wrong).toEqual([])
    for (const [name, s] of Object.entries(tally)) expect(s.applied, name).toBeGreaterThan(s.ambiguous)
    expect(Object.keys(tally).sort()).toEqual(Object.keys(SLIPS).sort())
  })
})
