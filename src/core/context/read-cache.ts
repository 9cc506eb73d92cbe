/** Remembers what read_file returned so an unchanged re-read costs a line, not the file. */
export class ReadCache {
  private entries = new Map<string, {key: string; callId: string}>()
  private readonly visible?: (callId: string) => boolean

  /**
   * `visible` tells whether an earlier call's result is still whole in the request (History.isWhole):
   * once the budget pass has compressed or trimmed it, a re-read returns the file again, which is
   * cheaper than a "see call X" note followed by a recall round-trip.
   */
  constructor(opts: {visible?: (callId: string) => boolean} = {}) {
    this.visible = opts.visible
  }

  /** The call id that already returned this exact view, if the file is unchanged (and that result is still in view). */
  hit(path: string, key: string): string | undefined {
    const e = this.entries.get(path)
    if (!e || e.key !== key) return undefined
    return this.visible && !this.visible(e.callId) ? undefined : e.callId
  }

  /** Record a read: `key` identifies content + requested view (e.g. mtime/size/hash + range). */
  remember(path: string, key: string, callId: string): void {
    this.entries.set(path, {key, callId})
  }

  /** Any write or edit invalidates the file's entry. */
  invalidate(path: string): void {
    this.entries.delete(path)
  }

  clear(): void {
    this.entries.clear()
  }
}
