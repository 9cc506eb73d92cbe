import {constants} from 'node:fs'
import {open, stat} from 'node:fs/promises'
import {fileSymbols} from '../index/file-symbols.js'
import {linePrefix} from './anchors.js'
import {defineTool, toolError} from './define.js'
import {resolveInRepo} from './paths.js'
import {similarPaths} from './repo-files.js'
import {cutLine, decodeText, fnv1a, looksBinary, plural, splitLines} from './text.js'

/** Lines shown when no line_range is given. */
export const DEFAULT_LINES = 150
/** Most lines one explicit line_range returns: a model asking for "1-20000" would flood its context. */
export const MAX_RANGE_LINES = 1000
/** Files larger than this are refused: reading them whole would cost memory and tokens for nothing. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024
/** Longer lines are cut with `…[+N chars]`. */
export const MAX_LINE_CHARS = 500

export interface ReadFileArgs {
  path: string
  line_range?: string | number | number[]
  symbols?: boolean
}

/** Parse "10-80", "10:80", "10..80", "10-", "10", 10 or [10, 80] into 1-based inclusive bounds. */
export function parseRange(r: unknown): {start: number; end?: number} | {error: string} {
  let a: number
  let b: number | undefined
  if (typeof r === 'number') {
    a = r
    b = r
  } else if (Array.isArray(r) && r.length >= 1 && r.length <= 2 && r.every((x) => typeof x === 'number' || /^\d+$/.test(String(x)))) {
    a = Number(r[0])
    b = r.length === 2 ? Number(r[1]) : a
  } else if (typeof r === 'string') {
    const m = /^\s*L?(\d+)\s*(?:(?:-|:|\.\.|,)\s*L?(\d+)?)?\s*$/i.exec(r)
    if (!m) return {error: `line_range ${JSON.stringify(r)} is not like "10-80"`}
    a = Number(m[1])
    b = m[2] !== undefined ? Number(m[2]) : /[-:.,]/.test(r) ? undefined : a
  } else {
    return {error: 'line_range must be like "10-80"'}
  }
  if (!Number.isInteger(a) || a < 1 || (b !== undefined && (!Number.isInteger(b) || b < a))) {
    return {error: `line_range ${JSON.stringify(r)} must be "start-end" with 1 <= start <= end`}
  }
  return {start: a, end: b}
}

/** Descriptions with anchors on (default) and off (profile edit_format without anchors). */
export const READ_DESCRIPTION = `Read a file (max ${DEFAULT_LINES} lines unless line_range). Lines are prefixed N#hash: (anchor for edit_file).`
export const READ_DESCRIPTION_PLAIN = `Read a file (max ${DEFAULT_LINES} lines unless line_range). Lines are prefixed N:.`

/** Most symbols one symbols view lists; a generated 20,000-line file would otherwise cost 100k+ tokens. */
export const MAX_SYMBOLS = 150

/** The symbols view: `start-end kind name`, within line_range when given, capped at MAX_SYMBOLS. */
async function symbolView(rel: string, text: string, total: number, range: {start: number; end?: number} | undefined, notes: string[]): Promise<{body: string; summary: string}> {
  const lo = range?.start ?? 1
  const hi = range?.end ?? total
  // Fields cost a line each and rarely help navigation: the class's line range covers them.
  let syms = (await fileSymbols(rel, text)).filter((s) => s.kind !== 'field' && s.startLine >= lo && s.startLine <= hi)
  const found = syms.length
  const within = range ? ` in lines ${lo}-${Math.min(hi, total)}` : ''
  if (found === 0) return {body: `no symbols found in ${rel}${within} (${plural(total, 'line')}); read it with line_range`, summary: `symbols ${rel} (0)`}
  let dropped = ''
  if (syms.length > MAX_SYMBOLS) {
    const structural = syms.filter((s) => s.kind !== 'variable' && s.kind !== 'constant')
    if (structural.length > 0) {
      dropped = `; ${found - structural.length} variables/constants left out`
      syms = structural
    }
  }
  let more = ''
  if (syms.length > MAX_SYMBOLS) {
    more = `; more: symbols with line_range "${syms[MAX_SYMBOLS]!.startLine}-"`
    syms = syms.slice(0, MAX_SYMBOLS)
  }
  const body = syms
    .map((s) => `${s.startLine === s.endLine ? s.startLine : `${s.startLine}-${s.endLine}`} ${s.kind} ${s.parent ? `${s.parent}.` : ''}${s.name}`)
    .join('\n')
  const shown = syms.length < found ? `${syms.length} of ${found} symbols` : plural(found, 'symbol')
  notes.push(`${shown}${within}${dropped}${more}; file has ${plural(total, 'line')}; read parts with line_range`)
  return {body, summary: `symbols ${rel} (${found})`}
}

/**
 * A file with several hard links may be the same inode as a file outside the repository (a link made with
 * bash), which path confinement cannot see; git never creates hard links in a work tree.
 */
function hardLinked(rel: string) {
  return toolError(`${rel} has more than one hard link, so it may be a file outside the repository; not read. Ask the user to replace it with a regular copy`, `read ${rel}: hard link`)
}

export default defineTool<ReadFileArgs>({
  name: 'read_file',
  description: READ_DESCRIPTION,
  parameters: {
    type: 'object',
    properties: {
      path: {type: 'string'},
      line_range: {type: 'string', description: 'e.g. "10-80"'},
      symbols: {type: 'boolean', description: 'list symbols with line numbers instead'},
    },
    required: ['path'],
  },
  async run(args, ctx) {
    const r = resolveInRepo(ctx.root, args.path)
    if (!r.ok) return toolError(r.error)
    let st
    try {
      st = await stat(r.abs)
    } catch {
      const near = await similarPaths(ctx.root, r.rel, 5, ctx.signal)
      const hint = near.length ? `; did you mean ${near.join(', ')}?` : '; use list_files or search to find it'
      return toolError(`${r.rel} does not exist${hint}`, `read ${r.rel}: not found`)
    }
    if (st.isDirectory()) return toolError(`${r.rel} is a directory; use list_files with path "${r.rel}"`, `read ${r.rel}: directory`)
    if (!st.isFile()) return toolError(`${r.rel} is not a regular file`)
    if (st.size > MAX_FILE_BYTES) {
      return toolError(`${r.rel} is too large to read (${(st.size / 1048576).toFixed(1)} MB); use search, or bash with head/sed`, `read ${r.rel}: too large`)
    }
    if (st.nlink > 1) return hardLinked(r.rel)
    let buf: Buffer
    try {
      // Read through one descriptor that is checked again: the path may have been swapped since stat.
      const fh = await open(r.abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
      try {
        const again = await fh.stat()
        if (!again.isFile()) return toolError(`${r.rel} is not a regular file`)
        if (again.nlink > 1) return hardLinked(r.rel)
        if (again.size > MAX_FILE_BYTES) return toolError(`${r.rel} is too large to read`, `read ${r.rel}: too large`)
        buf = await fh.readFile()
      } finally {
        await fh.close()
      }
    } catch (e) {
      return toolError(`could not read ${r.rel} (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
    }
    if (looksBinary(buf)) return toolError(`${r.rel} is a binary file (${buf.length} bytes); not shown`, `read ${r.rel}: binary`)

    let range: {start: number; end?: number} | undefined
    if (args.line_range !== undefined && args.line_range !== '') {
      const p = parseRange(args.line_range)
      if ('error' in p) return toolError(p.error)
      range = p
    }
    const view = `${args.symbols ? 'symbols:' : ''}${range ? `${range.start}-${range.end ?? ''}` : 'default'}`
    const key = `${st.size}:${st.mtimeMs}:${fnv1a(buf)}:${view}:${ctx.editFormat?.anchors === false ? 'n' : 'a'}`
    const prev = ctx.readCache.hit(r.rel, key)
    if (prev !== undefined) {
      return {
        // The cache only hits while that result is still whole in the request (ReadCache `visible`).
        content: `${r.rel} is unchanged since call ${prev} (same view); see that result`,
        summary: `read ${r.rel}: unchanged since ${prev}`,
        ok: true,
      }
    }

    const {text, utf8} = decodeText(buf)
    // A BOM is invisible to the model and kept on disk by the edit tools; lineHash ignores it too.
    const lines = splitLines(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    const total = lines.length
    const notes: string[] = []
    if (!utf8) notes.push('file is not valid UTF-8; shown as latin1')
    let body: string
    let summary: string

    if (args.symbols) {
      const v = await symbolView(r.rel, text, total, range, notes)
      body = v.body
      summary = v.summary
    } else if (total === 0) {
      body = '(empty file)'
      summary = `read ${r.rel} (empty)`
    } else {
      const start = range?.start ?? 1
      if (start > total) return toolError(`line_range starts at ${start} but ${r.rel} has ${plural(total, 'line')}`)
      const wanted = range ? Math.min(range.end ?? total, total) : Math.min(DEFAULT_LINES, total)
      const end = Math.min(wanted, start + (range ? MAX_RANGE_LINES : DEFAULT_LINES) - 1)
      const anchors = ctx.editFormat?.anchors !== false
      const out: string[] = []
      for (let i = start; i <= end; i++) {
        const line = lines[i - 1]!
        out.push(linePrefix(i, line, anchors) + cutLine(line.endsWith('\r') ? line.slice(0, -1) : line, MAX_LINE_CHARS))
      }
      body = out.join('\n')
      if (start > 1 || end < total) {
        const next = end < total ? `; more: line_range "${end + 1}-${Math.min(total, end + DEFAULT_LINES)}"` : ''
        const sym = !range && total > DEFAULT_LINES ? ' or symbols: true' : ''
        const capped = range && wanted > end ? ` (max ${MAX_RANGE_LINES} per read)` : ''
        notes.push(`lines ${start}-${end} of ${total}${capped}${next}${sym}`)
      }
      summary = start === 1 && end === total ? `read ${r.rel} (${plural(total, 'line')})` : `read ${r.rel} ${start}-${end}/${total}`
    }

    ctx.readCache.remember(r.rel, key, ctx.callId)
    const footer = notes.length ? `\n[${notes.join('; ')}]` : ''
    return {content: body + footer, summary, ok: true}
  },
})
