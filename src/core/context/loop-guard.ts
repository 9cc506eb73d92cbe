/** Tools that only look: repeating one with the same arguments and nothing changed in between is a loop. */
const READ_TOOLS = new Set(['read_file', 'search', 'list_files'])

export type GuardVerdict = {repeat: false} | {repeat: true; previous: {callId: string; content: string}; count: number}

interface Seen {
  callId: string
  content: string
  name: string
  path?: string
  count: number
}

/**
 * Catches a model repeating itself: the second identical call (same tool, same arguments in
 * canonical JSON) is answered from the first instead of running again. Invalid calls (unknown
 * tool, bad arguments) count too. A change to the work tree makes repeats legitimate again:
 * an edit resets reads of the edited files and every non-read call (re-running tests after a
 * fix is progress); a call with unknown effects (bash, MCP) resets all reads.
 */
export class LoopGuard {
  private seen = new Map<string, Seen>()
  private readonly visible?: (callId: string) => boolean

  /**
   * `visible` (History.isWhole) tells whether the earlier result is still whole in the request:
   * repeating a read whose result the budget pass compressed is a legitimate way to see it again.
   */
  constructor(opts: {visible?: (callId: string) => boolean} = {}) {
    this.visible = opts.visible
  }

  /** Before running a call: has this exact call already run with nothing changed since? */
  check(name: string, argsJson: string): GuardVerdict {
    const s = this.seen.get(guardKey(name, argsJson))
    if (!s) return {repeat: false}
    if (READ_TOOLS.has(s.name) && this.visible && !this.visible(s.callId)) return {repeat: false}
    s.count++
    return {repeat: true, previous: {callId: s.callId, content: s.content}, count: s.count}
  }

  /**
   * After a call ran (or was refused as invalid): remember its result. `changed` lists the
   * repo-relative paths it modified (ToolResult.changed).
   */
  record(name: string, argsJson: string, result: {callId: string; content: string; changed?: string[]}): void {
    const changed = result.changed ?? []
    if (changed.length > 0) this.afterChange(changed)
    else if (!READ_TOOLS.has(name) && !isEditTool(name)) this.forgetReads()
    this.seen.set(guardKey(name, argsJson), {callId: result.callId, content: result.content, name, path: argPath(argsJson), count: 1})
  }

  /** Forget everything (a new user turn). */
  reset(): void {
    this.seen.clear()
  }

  private afterChange(paths: string[]): void {
    const changed = new Set(paths.map(normalizePath))
    for (const [k, s] of this.seen) {
      // Reads of other files stay guarded; searches, listings and commands may see the change.
      const unaffectedRead = s.name === 'read_file' && !(s.path !== undefined && changed.has(normalizePath(s.path)))
      if (!unaffectedRead) this.seen.delete(k)
    }
  }

  private forgetReads(): void {
    for (const [k, s] of this.seen) if (READ_TOOLS.has(s.name)) this.seen.delete(k)
  }
}

/** The text sent back instead of running a repeated call: short, points at the earlier result. */
export function repeatNotice(name: string, previous: {callId: string}, count: number): string {
  const tail = count > 2 ? ' You keep repeating this call: change approach, or finish and report what blocks you.' : ' Nothing changed since, so the result would be the same; use recall with that id if you need it again, or try something different.'
  return `Error: identical ${name} call already made (id=${previous.callId}).${tail}`
}

/** tool name + arguments in canonical JSON (sorted keys, no whitespace); unparseable arguments are keyed on their trimmed text. */
export function guardKey(name: string, argsJson: string): string {
  try {
    return `${name}\u0000${canonicalJson(JSON.parse(argsJson || '{}'))}`
  } catch {
    return `${name}\u0000!${argsJson.trim()}`
  }
}

/** JSON with object keys sorted at every depth. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

function isEditTool(name: string): boolean {
  return name === 'write_file' || name === 'edit_file' || name === 'patch_file'
}

function argPath(argsJson: string): string | undefined {
  try {
    const v = JSON.parse(argsJson) as {path?: unknown}
    return typeof v?.path === 'string' ? v.path : undefined
  } catch {
    return undefined
  }
}

function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '')
}
