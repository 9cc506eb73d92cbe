import {lstat, stat} from 'node:fs/promises'
import path from 'node:path'
import {git} from '../store/git.js'
import {defineTool, toolError} from './define.js'
import {resolveInRepo} from './paths.js'
import {plural, quote} from './text.js'

/** Matches shown per search; the rest are counted. */
export const MAX_MATCHES = 50
/** Matched lines longer than this are cut to a window around the match. */
export const MAX_MATCH_CHARS = 200

export interface SearchArgs {
  pattern: string
  path?: string
}

interface Match {
  file: string
  line: number
  text: string
}

type Mode = '-E' | '-F'

async function grep(root: string, pattern: string, mode: Mode, spec: string[], signal?: AbortSignal, ignoreCase = false): Promise<{matches: Match[]; error?: string}> {
  const res = await git(
    ['-c', 'core.quotePath=false', 'grep', '-z', '-n', '-I', '--untracked', '--exclude-standard', '--no-color', ...(ignoreCase ? ['-i'] : []), mode, '-e', pattern, ...spec],
    {cwd: root, allowFail: true, signal},
  )
  if (res.code === 1) return {matches: []}
  if (res.code !== 0) return {matches: [], error: res.stderr.trim().split('\n')[0] ?? `git grep failed (${res.code})`}
  const matches: Match[] = []
  for (const row of res.stdout.split('\n')) {
    const a = row.indexOf('\0')
    const b = a < 0 ? -1 : row.indexOf('\0', a + 1)
    if (b < 0) continue
    matches.push({file: row.slice(0, a), line: Number(row.slice(a + 1, b)), text: row.slice(b + 1)})
  }
  // A hard link may be a file outside the repository (a command can make one): its lines stay out, as in read_file.
  const linked = new Set<string>()
  for (const file of new Set(matches.map((m) => m.file))) {
    const st = await lstat(path.join(root, file)).catch(() => undefined)
    if (st?.isFile() && st.nlink > 1) linked.add(file)
  }
  return {matches: linked.size ? matches.filter((m) => !linked.has(m.file)) : matches}
}

/** Cut a long matched line to a window around where the pattern hits it. */
function windowAround(text: string, pattern: string, mode: Mode, ignoreCase: boolean): string {
  const t = text.trim()
  if (t.length <= MAX_MATCH_CHARS) return t
  let at = mode === '-F' ? (ignoreCase ? t.toLowerCase().indexOf(pattern.toLowerCase()) : t.indexOf(pattern)) : -1
  if (mode === '-E') {
    try {
      at = t.search(new RegExp(pattern, ignoreCase ? 'i' : ''))
    } catch {
      at = -1
    }
  }
  const start = Math.max(0, Math.min(at < 0 ? 0 : at - 40, t.length - MAX_MATCH_CHARS))
  const end = start + MAX_MATCH_CHARS
  return `${start > 0 ? `…[${start} chars]` : ''}${t.slice(start, end)}${end < t.length ? `…[+${t.length - end} chars]` : ''}`
}

const META = /[\\^$.|?*+()[\]{}]/

export default defineTool<SearchArgs>({
  name: 'search',
  description: `Search file contents (git grep, regex or literal). Max ${MAX_MATCHES} matches.`,
  parameters: {
    type: 'object',
    properties: {
      pattern: {type: 'string'},
      path: {type: 'string', description: 'folder or file to limit to'},
    },
    required: ['pattern'],
  },
  async run(args, ctx) {
    if (args.pattern === '') return toolError('pattern must not be empty')
    let where = '.'
    if (args.path !== undefined && args.path !== '' && args.path !== '.') {
      const r = resolveInRepo(ctx.root, args.path)
      if (!r.ok) return toolError(r.error)
      try {
        await stat(r.abs)
      } catch {
        return toolError(`${r.rel} does not exist; use list_files to see what is there`)
      }
      where = r.rel
    }
    const spec = where === '.' ? [] : ['--', where]
    let mode: Mode = '-E'
    let res = await grep(ctx.root, args.pattern, mode, spec, ctx.signal)
    // An invalid regex ("foo(") or a regex that finds nothing but reads as a literal ("a.b()"): try it literally.
    if (res.error || (res.matches.length === 0 && META.test(args.pattern))) {
      const literal = await grep(ctx.root, args.pattern, '-F', spec, ctx.signal)
      if (!literal.error && (literal.matches.length > 0 || res.error)) {
        mode = '-F'
        res = literal
      }
    }
    if (res.error) return toolError(`search failed: ${res.error}`)
    // "resolveinrepo" for resolveInRepo: better a labelled near miss than a wasted turn.
    let ignoredCase = false
    if (res.matches.length === 0 && /[a-zA-Z]/.test(args.pattern)) {
      const loose = await grep(ctx.root, args.pattern, mode, spec, ctx.signal, true)
      if (!loose.error && loose.matches.length > 0) {
        res = loose
        ignoredCase = true
      }
    }
    const in_ = where === '.' ? 'the repository' : where
    if (res.matches.length === 0) {
      const msg = `no matches for ${quote(args.pattern, 200)} in ${in_}`
      return {content: msg, summary: `search ${quote(args.pattern)}: no matches`, ok: true}
    }

    const shown = res.matches.slice(0, MAX_MATCHES)
    const out: string[] = []
    let last = ''
    for (const m of shown) {
      if (m.file !== last) {
        out.push(m.file)
        last = m.file
      }
      out.push(`${m.line}: ${windowAround(m.text, args.pattern, mode, ignoredCase)}`)
    }
    const files = new Set(res.matches.map((m) => m.file)).size
    const total = `${plural(res.matches.length, 'match')} in ${plural(files, 'file')}`.replace('matchs', 'matches')
    const notes: string[] = []
    if (ignoredCase) notes.push(`no exact-case matches; these match ignoring case`)
    if (mode === '-F' && META.test(args.pattern)) notes.push('searched as literal text')
    if (res.matches.length > shown.length) {
      notes.push(`${shown.length} of ${total} shown; narrow with path or a more specific pattern`)
    }
    const footer = notes.length ? `\n[${notes.join('; ')}]` : ''
    return {content: out.join('\n') + footer, summary: `search ${quote(args.pattern)}: ${total}`, ok: true}
  },
})
