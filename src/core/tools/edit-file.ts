import {readFile, stat} from 'node:fs/promises'
import {applyEdit, levelText} from '../edit/apply.js'
import {formatLine, lineHash, parseAnchor} from './anchors.js'
import {defineTool, toolError} from './define.js'
import {resolveInRepo} from './paths.js'
import {decodeText, looksBinary, plural} from './text.js'
import type {ToolContext, ToolResult} from './types.js'
import {afterWrite, writeAtomic} from './write-file.js'

export interface EditFileArgs {
  path: string
  old_str: string
  new_str: string
  anchor?: string
}

/** Edited lines shown back (with fresh anchors) so the next edit nearby needs no re-read. */
const SHOW_LINES = 8

/** A file read for editing: its text, how to write it back, and its mode. */
export interface Loaded {
  text: string
  encode: (s: string) => Buffer | undefined
  mode: number
}

/** Read a file for an edit tool, or return the tool error to send back. */
export async function loadForEdit(abs: string, rel: string, tool: string): Promise<Loaded | ToolResult> {
  let st
  try {
    st = await stat(abs)
  } catch {
    return toolError(`${rel} does not exist${tool === 'edit_file' ? '; use write_file to create it' : ''}`, `${tool} ${rel}: missing`)
  }
  if (!st.isFile()) return toolError(`${rel} is not a regular file`)
  // A hard link may be a file outside the repository (made by a command): its text must not come back in errors.
  if (st.nlink > 1) return toolError(`${rel} is a hard link (${st.nlink} names); edit a file that is only in the repository`, `${tool} ${rel}: hard link`)
  const buf = await readFile(abs)
  if (looksBinary(buf)) return toolError(`${rel} is a binary file; ${tool} edits text files only`)
  const {text, utf8} = decodeText(buf)
  // Non-UTF-8 text is edited as latin1 so every byte outside the edit survives.
  const encode = utf8 ? (s: string) => Buffer.from(s, 'utf8') : (s: string) => (/[^\u0000-\u00ff]/.test(s) ? undefined : Buffer.from(s, 'latin1'))
  return {text, encode, mode: st.mode & 0o7777}
}

/** Report an edit outcome to telemetry and pass the result through. */
export function outcome(ctx: ToolContext, tool: string, r: ToolResult, level?: string): ToolResult {
  ctx.onEditOutcome?.({tool, ok: r.ok, level})
  return r
}

/** The edited lines with their new anchors, when short enough to be worth the tokens. */
export function editedView(text: string, from: number, to: number, anchors: boolean): string {
  if (to - from + 1 > SHOW_LINES) return ''
  const lines = text.replace(/^\uFEFF/, '').split('\n')
  const out: string[] = []
  for (let n = from; n <= to && n <= lines.length; n++) out.push(formatLine(n, lines[n - 1]!, anchors))
  return out.length ? `\n${out.join('\n')}` : ''
}

/** Check an anchor against the file: undefined when it holds, else the mismatch message. */
export function checkAnchor(text: string, line: number, hash: string): string | undefined {
  const lines = text.replace(/^\uFEFF/, '').split('\n')
  if (line >= 1 && line <= lines.length && lineHash(lines[line - 1]!) === hash) return undefined
  let moved: number | undefined
  for (let d = 1; d < lines.length && moved === undefined; d++) {
    for (const n of [line - d, line + d]) if (n >= 1 && n <= lines.length && lineHash(lines[n - 1]!) === hash) moved = moved ?? n
  }
  const where = moved ? ` (a line with that hash is now at line ${moved})` : ''
  return `Anchor mismatch at line ${line}: the file changed since it was read; read it again${where}`
}

export default defineTool<EditFileArgs>({
  name: 'edit_file',
  description: 'Replace old_str (copied exactly, unique in the file) with new_str. anchor: N#hash of its first line.',
  parameters: {
    type: 'object',
    properties: {
      path: {type: 'string'},
      old_str: {type: 'string'},
      new_str: {type: 'string'},
      anchor: {type: 'string'},
    },
    required: ['path', 'old_str', 'new_str'],
  },
  async run(args, ctx) {
    const tool = 'edit_file'
    const fail = (msg: string, level?: string) => outcome(ctx, tool, toolError(msg), level)
    if (typeof args.old_str !== 'string' || typeof args.new_str !== 'string') return fail('old_str and new_str must be strings')
    const r = resolveInRepo(ctx.root, args.path)
    if (!r.ok) return fail(r.error)
    const loaded = await loadForEdit(r.abs, r.rel, tool)
    if (!('text' in loaded)) return outcome(ctx, tool, loaded)
    let anchorLine: number | undefined
    if (args.anchor !== undefined && args.anchor !== null && args.anchor !== '') {
      const a = parseAnchor(args.anchor)
      if (!a) return fail(`anchor ${JSON.stringify(String(args.anchor)).slice(0, 40)} is not like 12#a3f0 (from read_file)`)
      const bad = checkAnchor(loaded.text, a.line, a.hash)
      if (bad) return fail(bad, 'anchor')
      anchorLine = a.line
    }
    let res: ReturnType<typeof applyEdit>
    try {
      res = applyEdit(loaded.text, args.old_str, args.new_str, {anchorLine, anchors: ctx.editFormat?.anchors !== false, path: r.rel})
    } catch (e) {
      // A matcher bug must not crash the loop or touch the file.
      return fail(`${r.rel}: could not match old_str (${(e as Error).message}); the file was not changed`)
    }
    if (!res.ok) return fail(`${r.rel}: ${res.message}`, res.level ?? res.kind)
    const {text: next, level, endLine: to} = res
    const removed = res.match.replacement === ''
    // A deletion at the end leaves its position past the last line.
    const from = !removed ? res.line : Math.min(res.line, Math.max(1, next.split('\n').length - (next.endsWith('\n') ? 1 : 0)))
    const bytes = loaded.encode(next)
    if (!bytes) return fail(`${r.rel} is not UTF-8; new_str may only use Latin-1 characters here`)
    try {
      await writeAtomic(r.abs, bytes, loaded.mode)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      return fail(`could not write ${r.rel}${code ? ` (${code})` : ''}`)
    }
    const how = level === 'exact' ? '' : ` (matched when ignoring ${levelText(level)})`
    const span = (a: number, b: number) => (a === b ? `line ${a}` : `lines ${a}-${b}`)
    const msg = removed ? `edited ${r.rel}: removed text, now at ${span(from, from)}${how}` : `edited ${r.rel}: now ${span(from, to)}${how}`
    const view = removed ? '' : editedView(next, from, to, ctx.editFormat?.anchors !== false)
    const result = await afterWrite(ctx, r.rel, {content: msg + view, summary: `edited ${r.rel} (${plural(to - from + 1, 'line')})`, ok: true, changed: [r.rel]})
    return outcome(ctx, tool, result, level)
  },
})
