import {randomBytes} from 'node:crypto'
import {chmod, mkdir, rename, stat, unlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {stripLinePrefixes} from './anchors.js'
import {defineTool, toolError} from './define.js'
import {resolveInRepo} from './paths.js'
import {plural, splitLines} from './text.js'
import type {ToolContext, ToolResult} from './types.js'

export interface WriteFileArgs {
  path: string
  content: string
  overwrite?: boolean
}

/**
 * Write `content` to `abs` atomically: a temp file in the same folder, then rename, so a crash or a
 * kill never leaves a half-written file. Keeps the mode of the file it replaces.
 */
export async function writeAtomic(abs: string, content: string | Uint8Array, mode?: number): Promise<void> {
  const dir = path.dirname(abs)
  await mkdir(dir, {recursive: true})
  const tmp = path.join(dir, `.${path.basename(abs)}.pare-${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, content, mode === undefined ? undefined : {mode})
    if (mode !== undefined) await chmod(tmp, mode) // writeFile's mode is filtered by the umask
    await rename(tmp, abs)
  } catch (e) {
    await unlink(tmp).catch(() => {})
    throw e
  }
}

/** After a write: drop the read cache entry and append what the edit hooks say. */
export async function afterWrite(ctx: ToolContext, rel: string, result: ToolResult): Promise<ToolResult> {
  ctx.readCache.invalidate(rel)
  if (!ctx.afterEdit) return result
  const extra = await ctx.afterEdit([rel])
  return extra ? {...result, content: `${result.content}\n${extra}`} : result
}

export default defineTool<WriteFileArgs>({
  name: 'write_file',
  description: 'Create a file. Replacing an existing file needs overwrite: true; prefer edit_file for changes.',
  parameters: {
    type: 'object',
    properties: {
      path: {type: 'string'},
      content: {type: 'string'},
      overwrite: {type: 'boolean'},
    },
    required: ['path', 'content'],
  },
  async run(args, ctx) {
    const r = resolveInRepo(ctx.root, args.path)
    if (!r.ok) return toolError(r.error)
    if (r.rel === '.') return toolError('path must name a file')
    let mode: number | undefined
    let existed = false
    try {
      const st = await stat(r.abs)
      if (st.isDirectory()) return toolError(`${r.rel} is a directory`)
      if (!st.isFile()) return toolError(`${r.rel} is not a regular file`)
      existed = true
      mode = st.mode & 0o7777
    } catch {
      // does not exist yet: create it
    }
    if (existed && args.overwrite !== true) {
      return toolError(`${r.rel} already exists; use edit_file to change it, or overwrite: true to replace it`, `write ${r.rel}: exists`)
    }
    // Small models sometimes paste read_file output, prefixes and all.
    const content = stripLinePrefixes(args.content)
    try {
      await writeAtomic(r.abs, content, mode)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      return toolError(`could not write ${r.rel}${code ? ` (${code})` : ''}`)
    }
    const n = splitLines(content).length
    const stripped = content !== args.content ? '; removed read_file line prefixes' : ''
    const msg = `${existed ? 'replaced' : 'wrote'} ${r.rel} (${plural(n, 'line')}${stripped})`
    return afterWrite(ctx, r.rel, {content: msg, summary: msg, ok: true, changed: [r.rel]})
  },
})
