/** Remembers what read_file returned so an unchanged re-read costs a line, not the file. */
export class ReadCache {
  private entries = new Map<string, {key: string; callId: string}>()

  /** The call id that already returned this exact view, if the file is unchanged. */
  hit(path: string, key: string): string | undefined {
    const e = this.entries.get(path)
    return e && e.key === key ? e.callId : undefined
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
