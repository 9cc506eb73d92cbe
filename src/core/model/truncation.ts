/**
 * Ollama does not refuse a prompt longer than the context it runs the model with (num_ctx): it drops the oldest
 * part and answers, reporting only the tokens it kept (prompt_eval_count, usage.prompt_tokens). A count far
 * below what was sent is that cut.
 */

/** Below this share of what was sent, a reported prompt count means the server cut the prompt. */
const KEPT_SHARE = 0.6
/** Counting differences between tokenizers stay well under this many tokens on requests this small. */
const MIN_GAP = 256
/** Counts this small are no count at all (cached prompts were once reported as 0 or 1). */
const MIN_REPORTED = 16

/** Whether a reported prompt count (`used`) says the server dropped part of the `sent` tokens; `known`: the context it is known to run. */
export function silentTruncation(sent: number, used: number, known?: number): boolean {
  if (!Number.isFinite(used) || used < MIN_REPORTED) return false
  // What fits the context the server says it runs was not cut: the counts only differ.
  if (known && sent <= known) return false
  return used < sent * KEPT_SHARE && sent - used >= MIN_GAP
}

/** The one-line warning, with the fix. */
export function truncationWarning(o: {url: string; used: number; sent: number; window?: number; ollama: boolean}): string {
  const fix = o.ollama
    ? `restart Ollama with OLLAMA_CONTEXT_LENGTH=${o.window ?? 32768} (or PARAMETER num_ctx in a Modelfile), or set context_window: ${o.used}`
    : `set context_window: ${o.used} in the profile, or give the server a larger context`
  return `${o.url} read only ${o.used} of the ~${o.sent} prompt tokens sent: it cut the request silently to fit a smaller context than assumed; requests are now fitted to ${o.used} tokens (fix: ${fix}).`
}
