/**
 * Request fields some servers refuse with a 400 that names them (newer OpenAI models want
 * max_completion_tokens; some local servers reject stream_options; reasoning models reject temperature).
 * When a 400 names one, the request is adapted and sent again, and the client remembers it.
 */

interface Adaptation {
  name: string
  /** The server's 400 message that asks for it. */
  test: RegExp
  /** Change the body; false when it does not apply. */
  apply(body: Record<string, unknown>): boolean
}

const ADAPTATIONS: Adaptation[] = [
  {
    name: 'max_completion_tokens',
    test: /max_completion_tokens/,
    apply: (b) => {
      if (!('max_tokens' in b)) return false
      b.max_completion_tokens = b.max_tokens
      delete b.max_tokens
      return true
    },
  },
  {name: 'no_stream_options', test: /stream_options/, apply: (b) => 'stream_options' in b && delete b.stream_options},
  // JSON mode is a hint for the planner (its answer is validated anyway): drop it where a server refuses it.
  {name: 'no_response_format', test: /response_format|json_object|json mode/i, apply: (b) => 'response_format' in b && delete b.response_format},
  {name: 'no_temperature', test: /temperature.*(unsupported|not supported|only the default)|(unsupported|not supported).*temperature/i, apply: (b) => 'temperature' in b && delete b.temperature},
]

/** Apply the adaptations already learned to a new request body. */
export function applyLearned(body: Record<string, unknown>, learned: Set<string>): void {
  for (const a of ADAPTATIONS) if (learned.has(a.name)) a.apply(body)
}

/** Learn from a 400 message: adapt the body and return true when one new adaptation applies. */
export function adaptToRejection(body: Record<string, unknown>, message: string, learned: Set<string>): boolean {
  for (const a of ADAPTATIONS) {
    if (learned.has(a.name) || !a.test.test(message)) continue
    if (a.apply(body)) {
      learned.add(a.name)
      return true
    }
  }
  return false
}
