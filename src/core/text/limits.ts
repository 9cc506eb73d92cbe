// Byte caps on text that crosses the trust boundary: what a model server streams, what one tool call carries,
// and what one tool hands back. Each is far above legitimate use, and each ends that piece of work with a
// clear error instead of growing until V8's string limit (about 0.7 GB) or the machine's memory gives out.

const MiB = 1024 * 1024

export const LIMITS = {
  /**
   * Content + reasoning + tool-call names and arguments of one model response, in UTF-8 bytes. 8 MiB is about
   * two million tokens: more than any model's output limit (the largest are ~128k tokens, ~0.5 MiB), so only a
   * runaway or hostile server reaches it. The request is aborted at once and the run ends (ModelError, exit 4).
   */
  responseTextBytes: 8 * MiB,
  /**
   * Bytes on the wire for one response, SSE framing and JSON included. A stream of empty deltas, keep-alive
   * comments or endless whitespace carries no text, so the text cap never sees it; this does. Real streams
   * spend ~200 bytes of framing per token: 128k tokens is ~30 MiB, well under it.
   */
  responseWireBytes: 256 * MiB,
  /** One SSE event (a line without its end, or data lines before the blank line): a chunk is never this large. */
  sseEventBytes: 16 * MiB,
  /** Tool-call slots in one response: a stream of new indexes with no text must not allocate without end. */
  toolCallsPerResponse: 512,
  /**
   * One tool call's arguments. write_file of a whole source file is legitimate, so it is generous (1 MiB is
   * ~25k lines of code). Over it, the call is not run and the model gets a tool error asking for smaller
   * pieces: the run goes on, and the oversized text is never kept in history or the session.
   */
  toolArgumentBytes: 1 * MiB,
  /**
   * One tool result before it reaches the model or the session (tools cap their own lines far lower; this is
   * the backstop for any tool, hook output or MCP server that does not). Over it, the model gets a tool error
   * saying how large the result was and asking for less.
   */
  toolResultBytes: 1 * MiB,
  /** Largest delay a Node timer can hold (2^31-1 ms, ~24.8 days); a larger one fires at once. */
  timerMs: 2 ** 31 - 1,
} as const

/** UTF-8 size of a string. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** "8 MiB", "1.5 MiB", "512 KiB", "900 bytes": a byte count as a person reads it. */
export function formatBytes(n: number): string {
  if (n >= MiB) return `${Math.round((n / MiB) * 10) / 10} MiB`
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`
  return `${n} bytes`
}

/** The size of something over `cap`, readable and never seeming equal to it ("3 MiB", or "1048586 bytes" just past 1 MiB). */
export function formatOver(bytes: number, cap: number): string {
  const shown = formatBytes(bytes)
  return shown === formatBytes(cap) ? `${bytes} bytes` : shown
}

/** A delay that a Node timer holds as given: finite, at least 0, at most 2^31-1 ms. */
export function timerMs(ms: number): number {
  if (!Number.isFinite(ms)) return ms > 0 ? LIMITS.timerMs : 0
  return Math.min(LIMITS.timerMs, Math.max(0, ms))
}
