/** Short, human renderings shared by the store commands (plain text, no colour). */

/** "3m ago", "2h ago", "5d ago"; a date past a month. */
export function ago(iso: string | Date, now = new Date()): string {
  const t = typeof iso === 'string' ? new Date(iso) : iso
  const s = Math.max(0, Math.round((now.getTime() - t.getTime()) / 1000))
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.floor(s / 60)}m ago`
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`
  if (s < 30 * 86400) return `${Math.floor(s / 86400)}d ago`
  return t.toISOString().slice(0, 10)
}

/** 950 -> "950", 12400 -> "12.4k", 2100000 -> "2.1M". */
export function tokens(n: number | undefined): string {
  if (!n) return ''
  if (n < 1000) return `${n} tok`
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k tok`
  return `${(n / 1_000_000).toFixed(1)}M tok`
}

/** "M a.txt" lines, capped so a huge change stays readable. */
export function fileLines(files: {status: string; path: string}[], max = 20, indent = '  '): string[] {
  const lines = files.slice(0, max).map((f) => `${indent}${f.status} ${f.path}`)
  if (files.length > max) lines.push(`${indent}… and ${files.length - max} more`)
  return lines
}

/** Checkpoint metadata for JSON: trailer-derived keys (`branchCommit`) in snake_case like every other key. */
export function snakeMeta(meta: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]))
}

/** What the numbers mean, the same sentence in the help of log, show, diff and undo. */
export const NUMBERING = 'Checkpoint N is the work tree as it was before run (or plan step) N: `git pare show N` shows what that run changed, `git pare diff N` compares checkpoint N with the work tree now, and `git pare undo` goes back to the newest checkpoint, undoing its run. Numbers are never reused.'

/** Meta of a checkpoint as "plan p1, step 2". */
export function metaLine(meta: Record<string, string>): string {
  const parts: string[] = []
  if (meta.plan) parts.push(`plan ${meta.plan}`)
  if (meta.step) parts.push(`step ${meta.step}`)
  if (meta.session) parts.push(`session ${meta.session}`)
  return parts.join(', ')
}
