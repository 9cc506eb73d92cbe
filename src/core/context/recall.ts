/** What `recall` hands back: the full, uncompressed result of an earlier call. */
export interface RecallHit {
  id: string
  name: string
  content: string
  /** False for errors and refusals (a loop-guard notice, bad arguments): never what a recall by name means. */
  ok?: boolean
}

/** The query shape of the `recall` tool and of ToolContext.recall. */
export interface RecallQuery {
  tool_call_id?: string
  tool_name?: string
}

/**
 * Full tool results by call id, and the latest one per tool name (local models often do not
 * echo ids reliably, so a name is enough). Results stay here after the budget pass compresses
 * or trims them from the request.
 */
export class RecallStore {
  private byId = new Map<string, RecallHit>()
  private latestByName = new Map<string, string>()
  private latestFailedByName = new Map<string, string>()

  /**
   * Keep a result. A later successful result of the same tool becomes the one recalled by name; a failed one
   * (an error, a refused repeat) is recalled by name only while the tool has no successful result.
   */
  put(hit: RecallHit): void {
    this.byId.set(hit.id, hit)
    ;(hit.ok === false ? this.latestFailedByName : this.latestByName).set(hit.name, hit.id)
  }

  /** By id first (exact), then by tool name (latest); ids are matched case-sensitively, then trimmed. */
  get(q: RecallQuery): RecallHit | undefined {
    const id = q.tool_call_id?.trim()
    if (id) {
      const hit = this.byId.get(id) ?? this.byId.get(q.tool_call_id!)
      if (hit) return hit
    }
    const name = q.tool_name?.trim()
    if (name) {
      const latest = this.latestByName.get(name) ?? this.latestFailedByName.get(name)
      if (latest) return this.byId.get(latest)
    }
    return undefined
  }

  has(id: string): boolean {
    return this.byId.has(id)
  }

  get size(): number {
    return this.byId.size
  }

  /** Ids known, oldest first (for a "not found" hint listing what can be recalled). */
  ids(): string[] {
    return [...this.byId.keys()]
  }
}
