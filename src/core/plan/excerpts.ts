import {readRepoFile} from '../fs/repo-file.js'
import type {Attachment} from '../context/history.js'
import type {TokenCounter} from '../context/tokenizer.js'
import {formatLine} from '../tools/anchors.js'
import {resolveInRepo} from '../tools/paths.js'

/** Share of a step's first request given to file excerpts (the rest: system prompt, tools, instruction). */
export const EXCERPT_TOKENS = 1200

/**
 * Excerpts of a step's files, formatted like read_file output (`N#hash:` anchors, so the model can edit
 * without reading again), within a token budget shared by the files. A file cut short says how to read on.
 */
export async function stepExcerpts(root: string, files: string[], counter: TokenCounter, opts: {budgetTokens?: number; anchors?: boolean} = {}): Promise<Attachment[]> {
  const budget = opts.budgetTokens ?? EXCERPT_TOKENS
  const texts: Array<{path: string; lines: string[]}> = []
  for (const f of files.slice(0, 6)) {
    // Planner output is model output: the same confinement as the tools (no .., no symlinks out, no .git).
    const r = resolveInRepo(root, f)
    if (!r.ok) continue
    // A regular file only, read up to a cap: a FIFO or a device never blocks the step.
    const read = await readRepoFile(root, r.rel, {maxBytes: 4 << 20})
    const buf = read.ok ? read.content : undefined
    if (!buf || buf.includes(0)) continue
    const text = buf.toString('utf8')
    const lines = text.split('\n')
    if (lines.at(-1) === '') lines.pop()
    texts.push({path: f, lines})
  }
  if (!texts.length) return []
  const per = Math.floor(budget / texts.length)
  return texts.map(({path: p, lines}) => {
    const out: string[] = []
    let used = 0
    for (let i = 0; i < lines.length; i++) {
      const line = formatLine(i + 1, lines[i]!.length > 300 ? `${lines[i]!.slice(0, 300)}…` : lines[i]!, opts.anchors !== false)
      const cost = counter.count(line) + 1
      if (used + cost > per) {
        out.push(`[${lines.length - i} more lines of ${lines.length}; read_file with line_range "${i + 1}-${Math.min(lines.length, i + 150)}" for more]`)
        break
      }
      out.push(line)
      used += cost
    }
    return {path: p, content: out.join('\n')}
  })
}
