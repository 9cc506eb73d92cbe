import type {TokenCounter} from '../context/tokenizer.js'
import {git} from '../store/git.js'

/** Token cap of the whole blame block (heading included). */
export const BLAME_TOKENS = 60
const SUMMARY_CHARS = 48
const HEADING = 'Last commit touching each excerpt:'

interface Region {
  path: string
  /** Lines 1..last of the file are shown. */
  last: number
}

/** The lines an excerpt shows (1..n): all of its lines, or up to where it says how to read on. */
export function excerptRegion(a: {path: string; content: string}): Region {
  const more = /\n?\[(\d+) more lines of (\d+);[^\n]*\]$/.exec(a.content)
  const last = more ? Number(more[2]) - Number(more[1]) : a.content.split('\n').length
  return {path: a.path, last}
}

interface BlameCommit {
  id: string
  author: string
  time: number
  summary: string
}

/**
 * The newest commits among the lines of `git blame --porcelain` output (several when they share a second), leaving
 * out `skip` (and uncommitted lines).
 */
export function newestCommits(porcelain: string, skip: Set<string>): BlameCommit[] {
  const seen = new Map<string, BlameCommit>()
  let current: BlameCommit | undefined
  for (const line of porcelain.split('\n')) {
    const head = /^([0-9a-f]{40}) \d+ \d+/.exec(line)
    if (head) {
      current = seen.get(head[1]!)
      if (!current) seen.set(head[1]!, (current = {id: head[1]!, author: '', time: 0, summary: ''}))
    } else if (current && line.startsWith('author ')) current.author = line.slice(7)
    else if (current && line.startsWith('committer-time ')) current.time = Number(line.slice(15))
    else if (current && line.startsWith('summary ')) current.summary = line.slice(8)
  }
  const kept = [...seen.values()].filter((c) => !/^0+$/.test(c.id) && !skip.has(c.id))
  const top = Math.max(...kept.map((c) => c.time))
  return kept.filter((c) => c.time === top)
}

const oneLine = (s: string, max: number) => {
  const t = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}

/**
 * For the excerpts a step starts with: one line each naming the last commit that touched the excerpt's lines
 * (`src/a.ts: a1b2c3d 2026-11-02 Fix rounding (alice)`), within `capTokens`. The plan's own commits (`base..HEAD`)
 * are looked through. Undefined when the history has one commit, or no excerpt is of a tracked file.
 */
export async function blameContext(root: string, excerpts: {path: string; content: string}[], counter: TokenCounter, opts: {base?: string; capTokens?: number; signal?: AbortSignal} = {}): Promise<string | undefined> {
  if (!excerpts.length) return undefined
  const run = (args: string[]) => git(args, {cwd: root, allowFail: true, signal: opts.signal})
  const history = opts.base ?? 'HEAD'
  const count = await run(['rev-list', '--count', '--max-count=2', history, '--'])
  if (count.code !== 0 || Number(count.stdout.trim()) < 2) return undefined
  const own = opts.base ? (await run(['rev-list', `${opts.base}..HEAD`, '--'])).stdout.split('\n').filter(Boolean) : []
  const skip = new Set(own)
  const cap = opts.capTokens ?? BLAME_TOKENS
  let used = counter.count(HEADING) + 1
  const lines: string[] = []
  for (const region of excerpts.map(excerptRegion)) {
    // Lines the file has at HEAD (an untracked or new file has none: nothing to blame).
    const blob = await run(['cat-file', '-p', `HEAD:${region.path}`])
    if (blob.code !== 0) continue
    const atHead = blob.stdout.split('\n').length - (blob.stdout.endsWith('\n') ? 1 : 0)
    const last = Math.min(region.last, atHead)
    if (last < 1) continue
    const res = await run(['blame', '--porcelain', '-L', `1,${last}`, ...own.flatMap((c) => ['--ignore-rev', c]), 'HEAD', '--', region.path])
    if (res.code !== 0) continue
    const newest = newestCommits(res.stdout, skip)
    let c = newest[0]
    if (!c) continue
    if (newest.length > 1) {
      // Same second: the one the others lead to comes first in topological order.
      const first = (await run(['rev-list', '--topo-order', '-n1', ...newest.map((x) => x.id), '--'])).stdout.trim()
      c = newest.find((x) => x.id === first) ?? c
    }
    const date = new Date(c.time * 1000).toISOString().slice(0, 10)
    const line = `${region.path}: ${c.id.slice(0, 7)} ${date} ${oneLine(c.summary, SUMMARY_CHARS)} (${oneLine(c.author, 24)})`
    const cost = counter.count(line) + 1
    if (used + cost > cap) break
    lines.push(line)
    used += cost
  }
  return lines.length ? `${HEADING}\n${lines.join('\n')}` : undefined
}
