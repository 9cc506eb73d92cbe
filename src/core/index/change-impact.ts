import {git} from '../store/git.js'
import {regexSymbols} from './file-symbols.js'
import {languageOf} from './languages.js'
import type {Index} from './symbol-index.js'
import {symbolKey, treeSymbols} from './tree-symbols.js'

export interface ChangeImpactInput {
  index?: Index
  root: string
  /** Repo-relative path of the edited file. */
  path: string
  before: string
  after: string
  /** Files already edited in this task (their references are being taken care of). */
  touched: Set<string>
  signal?: AbortSignal
  /** Warning lines at most (default 5). */
  maxLines?: number
}

interface Change {
  name: string
  how: 'modified' | 'removed'
}

async function signatures(path: string, text: string): Promise<Map<string, {name: string; exported: boolean; sig: string}>> {
  const lang = languageOf(path)
  const out = new Map<string, {name: string; exported: boolean; sig: string}>()
  if (!lang) return out
  const tree = await treeSymbols(lang, text, {signatures: true})
  if (tree?.signatures) {
    for (const s of tree.symbols) if (s.kind !== 'impl') out.set(symbolKey(s), {name: s.name, exported: s.exported, sig: tree.signatures.get(symbolKey(s)) ?? ''})
    return out
  }
  const lines = text.split('\n')
  for (const s of regexSymbols(text)) out.set(symbolKey(s), {name: s.name, exported: s.exported, sig: (lines[s.startLine - 1] ?? '').replace(/\s+/g, ' ').trim()})
  return out
}

/** Exported symbols whose definition (signature, or shape for types) changed or that were removed. */
export async function changedSymbols(path: string, before: string, after: string): Promise<Change[]> {
  const [b, a] = await Promise.all([signatures(path, before), signatures(path, after)])
  const out: Change[] = []
  for (const [key, def] of b) {
    if (!def.exported || def.name.length < 3) continue
    const now = a.get(key)
    if (!now) out.push({name: def.name, how: 'removed'})
    else if (now.sig !== def.sig) out.push({name: def.name, how: 'modified'})
  }
  return out
}

/**
 * After an edit: exported symbols whose definition changed and that files not yet touched still use, one warning
 * line each (`modified validateToken in src/auth.ts, used by src/handler.ts:14`). Undefined when there is nothing to say.
 */
export async function changeImpact(input: ChangeImpactInput): Promise<string | undefined> {
  const maxLines = input.maxLines ?? 5
  let changes = await changedSymbols(input.path, input.before, input.after)
  // A name defined in many files (run, init, render) gives references we cannot attribute: leave it out.
  if (input.index) changes = changes.filter((c) => new Set(input.index!.findSymbol(c.name).map((h) => h.path)).size <= 3)
  changes = changes.slice(0, 20)
  if (!changes.length) return undefined
  const names = [...new Set(changes.map((c) => c.name))]
  const args = ['grep', '-n', '-w', '-I', '-F', '--untracked', ...names.flatMap((n) => ['-e', n]), '--', '.']
  const res = await git(args, {cwd: input.root, allowFail: true, signal: input.signal})
  if (res.code !== 0) return undefined
  const refs = new Map<string, string[]>()
  const skip = new Set([...input.touched, input.path])
  for (const line of res.stdout.split('\n')) {
    const m = /^(.+?):(\d+):(.*)$/.exec(line)
    if (!m || skip.has(m[1]!)) continue
    for (const name of names) {
      if (!new RegExp(`(^|[^\\w$])${name.replace(/[$]/g, '\\$')}($|[^\\w$])`).test(m[3]!)) continue
      let list = refs.get(name)
      if (!list) refs.set(name, (list = []))
      // One reference per file is enough to point at it.
      if (!list.some((r) => r.startsWith(`${m[1]}:`))) list.push(`${m[1]}:${m[2]}`)
    }
  }
  const lines: string[] = []
  for (const c of changes) {
    const r = refs.get(c.name)
    if (!r?.length || lines.length >= maxLines) continue
    const shown = r.slice(0, 3).join(', ') + (r.length > 3 ? ` (+${r.length - 3} more)` : '')
    lines.push(c.how === 'modified' ? `modified ${c.name} in ${input.path}, used by ${shown}` : `removed ${c.name} from ${input.path}, still used by ${shown}`)
    refs.delete(c.name)
  }
  return lines.length ? lines.join('\n') : undefined
}
