import {isErrorLine} from './run-hook.js'
import type {HookRun} from './run-hook.js'

// The same error after an edit moved it: positions are not part of its identity.
const identity = (line: string) => line.replace(/\(\d+,\d+\)|:\d+(:\d+)?(?=[:\s]|$)|\bline \d+/g, '').replace(/\s+/g, ' ').trim()

/**
 * Remembers the on_edit errors already known, so each edit's result says only what changed: errors that were
 * there before the task (a baseline from `prime`) or that an earlier result already showed are counted, not
 * repeated. Tokens are the product; a model also fixes what it broke rather than what it found.
 */
export class HookMemo {
  private known = new Map<string, Set<string>>()
  private failing = new Set<string>()

  /** Record runs without reporting them: the state before the first edit. */
  prime(runs: HookRun[]): void {
    for (const r of runs) this.remember(r)
  }

  /** The on_edit text for these runs, relative to what is already known; then remember them. */
  text(runs: HookRun[]): string | undefined {
    if (!runs.length) return undefined
    const out = runs.map((r) => this.describe(r))
    for (const r of runs) this.remember(r)
    return out.join('\n')
  }

  private describe(r: HookRun): string {
    const head = `⚙ \`${r.command}\``
    if (r.timedOut) return `${head} timed out and was stopped${r.output ? `:\n${r.output}` : ''}`
    if (r.code === 0) return this.failing.has(r.command) ? `${head}: ok (earlier errors are gone)` : `${head}: ok`
    const known = this.known.get(r.command)
    const lines = r.output.split('\n')
    if (!known?.size) return `${head} (exit ${r.code})${r.output ? `:\n${r.output}` : ': no output'}`
    // New error lines with the line after each (often the location or the code); known ones only counted.
    const keep: string[] = []
    let old = 0
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!
      if (!isErrorLine(line)) continue
      if (known.has(identity(line))) {
        old++
        continue
      }
      keep.push(line)
      const next = lines[i + 1]
      if (next !== undefined && !isErrorLine(next)) keep.push(next)
    }
    const oldNote = old ? `${old} error line${old === 1 ? '' : 's'} known from before the edit` : ''
    if (!keep.length) return `${head} (exit ${r.code}): no new errors${oldNote ? `; ${oldNote}` : ''}`
    return `${head} (exit ${r.code}), new:\n${keep.join('\n')}${oldNote ? `\n(+${oldNote})` : ''}`
  }

  private remember(r: HookRun): void {
    if (r.timedOut) return
    if (r.code === 0) {
      this.known.delete(r.command)
      this.failing.delete(r.command)
      return
    }
    this.failing.add(r.command)
    this.known.set(r.command, new Set(r.output.split('\n').filter(isErrorLine).map(identity)))
  }
}
