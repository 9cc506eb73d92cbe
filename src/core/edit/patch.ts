import {noMatchMessage} from './apply.js'
import {splitFile} from './lines.js'
import {locateIn, type Match} from './match.js'

/** One hunk of a unified diff: old lines (context and removed), new lines (context and added). */
export interface Hunk {
  header: string
  oldStart?: number
  old: string[]
  new: string[]
  oldNoNewline: boolean
  newNoNewline: boolean
}

export type PatchResult =
  | {ok: true; text: string; hunks: {line: number; level: string}[]}
  | {ok: false; message: string; report: string[]}

/** Parse a unified diff for one file into hunks; a string says why it cannot be parsed. */
export function parsePatch(patch: string): Hunk[] | string {
  const lines = patch.split(/\r?\n/)
  while (lines.length && lines[lines.length - 1] === '') lines.pop()
  const hunks: Hunk[] = []
  let h: Hunk | undefined
  let last: ' ' | '-' | '+' | undefined
  const headers = new Set<number>()
  for (let i = 0; i + 1 < lines.length; i++) if (lines[i]!.startsWith('--- ') && lines[i + 1]!.startsWith('+++ ')) headers.add(i).add(i + 1)
  if (headers.size > 2) return 'the patch touches more than one file; send one patch_file call per file'
  for (const [i, l] of lines.entries()) {
    if (headers.has(i)) continue
    if (l.startsWith('@@')) {
      const m = /^@@+ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@/.exec(l)
      h = {header: l.slice(0, 40), oldStart: m ? Number(m[1]) : undefined, old: [], new: [], oldNoNewline: false, newNoNewline: false}
      hunks.push(h)
      last = undefined
      continue
    }
    if (!h) {
      if (/^(diff |index |\+\+\+ |--- |new file|deleted file|similarity|rename )/.test(l)) continue
      if (l.startsWith('+++')) continue
      return 'the patch has no @@ hunk header; send a unified diff (lines starting with " ", "-", "+" after @@ -N,M +N,M @@)'
    }
    if (l.startsWith('diff ')) return 'the patch touches more than one file; send one patch_file call per file'
    const c = l[0]
    if (l.startsWith('\\')) {
      if (last === '+') h.newNoNewline = true
      else if (last === '-') h.oldNoNewline = true
      else if (last === ' ') h.oldNoNewline = h.newNoNewline = true
      continue
    }
    // A blank line is context whose leading space the model dropped.
    const kind: ' ' | '-' | '+' = c === '-' ? '-' : c === '+' ? '+' : ' '
    const text = c === ' ' || c === '-' || c === '+' ? l.slice(1) : l
    if (kind !== '+') h.old.push(text)
    if (kind !== '-') h.new.push(text)
    last = kind
  }
  if (hunks.length === 0) return 'the patch has no @@ hunk header; send a unified diff'
  const empty = hunks.findIndex((x) => x.old.length === 0 && x.new.length === 0)
  if (empty >= 0) return `hunk ${empty + 1} is empty`
  return hunks
}

const joinLines = (ls: string[], noNl: boolean) => (ls.length === 0 ? '' : ls.join('\n') + (noNl ? '' : '\n'))

/**
 * Apply every hunk or none: each is located by its context (same normalisations as edit_file; when
 * several places match, the one nearest its header line), hunks may not overlap.
 */
export function applyPatch(fileText: string, patch: string, opts: {anchors?: boolean} = {}): PatchResult {
  const hunks = parsePatch(patch)
  if (typeof hunks === 'string') return {ok: false, message: hunks, report: []}
  const f = splitFile(fileText)
  const found: {m: Match; level: string; idx: number}[] = []
  const report: string[] = []
  let failed = 0
  for (const [idx, h] of hunks.entries()) {
    const name = `hunk ${idx + 1} (${h.header.replace(/ @@.*$/, ' @@')})`
    if (h.old.length === 0) {
      // Pure addition: only the header says where.
      if (h.oldStart === undefined && f.body !== '') {
        failed++
        report.push(`${name}: adds lines without context or line numbers; include 2-3 context lines`)
        continue
      }
      const after = Math.min(h.oldStart ?? 0, f.lines.length)
      const at = after === 0 ? 0 : after >= f.lines.length ? f.body.length : f.starts[after]!
      const tailNl = at === f.body.length && f.body !== '' && !f.endsWithNewline
      const text = (tailNl ? f.eol : '') + h.new.join(f.eol) + (h.newNoNewline || tailNl ? '' : f.eol)
      found.push({m: {start: at, end: at, line: after + 1, endLine: after + 1, replacement: text}, level: 'exact', idx})
      report.push(`${name}: ok at line ${after + 1}`)
      continue
    }
    const oldText = joinLines(h.old, h.oldNoNewline)
    const loc = locateIn(f, oldText, joinLines(h.new, h.newNoNewline), {wholeLines: true})
    let m: Match | undefined = loc.matches[0]
    if (loc.matches.length > 1) {
      const want = h.oldStart ?? -1
      const dist = loc.matches.map((x) => Math.abs(x.line - want))
      const min = Math.min(...dist)
      m = want >= 0 && dist.filter((d) => d === min).length === 1 ? loc.matches[dist.indexOf(min)] : undefined
      if (!m) {
        failed++
        report.push(`${name}: context matches ${loc.matches.length} places (lines ${loc.matches.map((x) => x.line).join(', ')}); add context lines or fix the @@ line numbers`)
        continue
      }
    }
    if (!m) {
      failed++
      report.push(`${name}: ${noMatchMessage(f, oldText, 'its context', opts.anchors !== false)}`)
      continue
    }
    found.push({m, level: loc.level, idx})
    report.push(`${name}: ok at line ${m.line}`)
  }
  if (failed === 0) {
    const sorted = [...found].sort((a, b) => a.m.start - b.m.start || a.idx - b.idx)
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.m.start < sorted[i - 1]!.m.end) {
        return {ok: false, message: `hunks ${sorted[i - 1]!.idx + 1} and ${sorted[i]!.idx + 1} overlap; merge them into one hunk`, report}
      }
    }
    let body = f.body
    for (const {m} of sorted.reverse()) body = body.slice(0, m.start) + m.replacement + body.slice(m.end)
    if (body === f.body) return {ok: false, message: 'the patch changes nothing', report}
    return {ok: true, text: f.bom + body, hunks: found.map(({m, level}) => ({line: m.line, level}))}
  }
  return {ok: false, message: `${failed} of ${hunks.length} hunks failed; nothing was written`, report}
}
