import {levelText} from '../edit/apply.js'
import {applyPatch} from '../edit/patch.js'
import {defineTool, toolError} from './define.js'
import {loadForEdit, outcome} from './edit-file.js'
import {resolveInRepo} from './paths.js'
import {plural} from './text.js'
import {afterWrite, writeAtomic} from './write-file.js'

export interface PatchFileArgs {
  path: string
  patch: string
}

export default defineTool<PatchFileArgs>({
  name: 'patch_file',
  description: 'Apply a unified diff (@@ hunks with 2-3 context lines) to one file; all hunks or none.',
  parameters: {
    type: 'object',
    properties: {
      path: {type: 'string'},
      patch: {type: 'string'},
    },
    required: ['path', 'patch'],
  },
  async run(args, ctx) {
    const tool = 'patch_file'
    const fail = (msg: string, level?: string) => outcome(ctx, tool, toolError(msg), level)
    if (typeof args.patch !== 'string' || args.patch.trim() === '') return fail('patch must be a non-empty unified diff')
    const r = resolveInRepo(ctx.root, args.path)
    if (!r.ok) return fail(r.error)
    const loaded = await loadForEdit(r.abs, r.rel, tool)
    if (!('text' in loaded)) return outcome(ctx, tool, loaded)
    let res: ReturnType<typeof applyPatch>
    try {
      res = applyPatch(loaded.text, args.patch, {anchors: ctx.editFormat?.anchors !== false})
    } catch (e) {
      // A matcher bug must not crash the loop or touch the file.
      return fail(`${r.rel}: could not apply the patch (${(e as Error).message}); the file was not changed`)
    }
    if (!res.ok) return fail([`${r.rel}: ${res.message}`, ...res.report].join('\n'), 'failed')
    const bytes = loaded.encode(res.text)
    if (!bytes) return fail(`${r.rel} is not UTF-8; the patch may only add Latin-1 characters here`)
    try {
      await writeAtomic(r.abs, bytes, loaded.mode)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      return fail(`could not write ${r.rel}${code ? ` (${code})` : ''}`)
    }
    const fuzzy = res.hunks.map((h, i) => (h.level === 'exact' ? '' : `hunk ${i + 1} when ignoring ${levelText(h.level)}`)).filter(Boolean)
    const msg = `patched ${r.rel}: ${plural(res.hunks.length, 'hunk')} at line${res.hunks.length > 1 ? 's' : ''} ${res.hunks.map((h) => h.line).join(', ')}${fuzzy.length ? ` (${fuzzy.join('; ')})` : ''}`
    const levels = [...new Set(res.hunks.map((h) => h.level))]
    const result = await afterWrite(ctx, r.rel, {content: msg, summary: `patched ${r.rel} (${plural(res.hunks.length, 'hunk')})`, ok: true, changed: [r.rel]})
    return outcome(ctx, tool, result, levels.length === 1 ? levels[0] : levels.filter((l) => l !== 'exact').join('+'))
  },
})
