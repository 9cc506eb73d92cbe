import {git} from '../store/git.js'
import type {SymbolInfo} from '../index/file-symbols.js'

export interface ChangedFile {
  path: string
  status: 'added' | 'modified' | 'deleted' | 'renamed'
}

/** Files changed between two commits/trees (rename-aware). */
export async function changedFiles(root: string, from: string, to: string): Promise<ChangedFile[]> {
  const res = await git(['diff', '--name-status', '-M', '--no-ext-diff', from, to], {cwd: root})
  const out: ChangedFile[] = []
  for (const line of res.stdout.split('\n')) {
    if (!line) continue
    const [st, a, b] = line.split('\t')
    const code = st![0]
    const status = code === 'A' ? 'added' : code === 'D' ? 'deleted' : code === 'R' ? 'renamed' : 'modified'
    out.push({path: (code === 'R' ? b : a)!, status})
  }
  return out
}

/** 1-based line ranges touched in the new version of a file. */
export async function changedLines(root: string, from: string, to: string, file: string): Promise<Array<[number, number]>> {
  const res = await git(['diff', '-U0', '--no-ext-diff', from, to, '--', file], {cwd: root, allowFail: true})
  const ranges: Array<[number, number]> = []
  for (const m of res.stdout.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    const start = Number(m[1])
    const len = m[2] === undefined ? 1 : Number(m[2])
    ranges.push([start, start + Math.max(len, 1) - 1])
  }
  return ranges
}

/** The symbols a change touched, most relevant first: those overlapping changed lines, then exported ones. */
export function topSymbols(symbols: SymbolInfo[], ranges: Array<[number, number]>, n = 4): string[] {
  const touched = symbols.filter((s) => ranges.some(([a, b]) => s.startLine <= b && s.endLine >= a))
  const rest = symbols.filter((s) => !touched.includes(s) && s.exported && !s.parent)
  const names: string[] = []
  for (const s of [...touched, ...rest]) {
    if (!names.includes(s.name)) names.push(s.name)
    if (names.length >= n) break
  }
  return names
}

/**
 * Deterministic summary of a completed step (seed phase 4): one line per changed file with its top
 * symbols, e.g. `modified src/auth.ts [validateToken, AuthError]`. No model call.
 */
export async function summariseStep(opts: {
  root: string
  from: string
  to: string
  symbolsOf: (path: string, text: string) => Promise<SymbolInfo[]>
  readFile: (path: string) => Promise<string | undefined>
  maxFiles?: number
}): Promise<string[]> {
  const files = await changedFiles(opts.root, opts.from, opts.to)
  const lines: string[] = []
  for (const f of files.slice(0, opts.maxFiles ?? 8)) {
    if (f.status === 'deleted') {
      lines.push(`deleted ${f.path}`)
      continue
    }
    const text = await opts.readFile(f.path)
    let names: string[] = []
    if (text !== undefined && !text.includes('\0')) {
      const syms = await opts.symbolsOf(f.path, text)
      names = topSymbols(syms, await changedLines(opts.root, opts.from, opts.to, f.path))
    }
    lines.push(`${f.status} ${f.path}${names.length ? ` [${names.join(', ')}]` : ''}`)
  }
  if (files.length > (opts.maxFiles ?? 8)) lines.push(`… and ${files.length - (opts.maxFiles ?? 8)} more files`)
  return lines
}
