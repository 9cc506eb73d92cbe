// MCP servers send JSON Schemas generated from zod or pydantic: `$schema`, titles, `additionalProperties: false`,
// defaults and long descriptions, on every request. Those cost tokens and tell the model nothing it needs to call
// the tool, so they are trimmed before the schema is offered (the server still validates the real one).

/** Longest tool description kept (its first sentence, cut here). */
export const TOOL_DESCRIPTION_CHARS = 160
/** Longest parameter description kept. */
export const PARAM_DESCRIPTION_CHARS = 80

// Keys that carry nothing the model needs to form a call.
const NOISE = new Set(['$schema', '$id', '$comment', 'title', 'examples', 'example', 'default', 'deprecated', 'readOnly', 'writeOnly', 'markdownDescription'])

/** The first sentence of a description, single-spaced, at most `max` characters. */
export function firstSentence(text: string | undefined, max: number): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim()
  const m = /^.*?[.!?](?=\s|$)/.exec(flat)
  const s = m ? m[0] : flat
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s
}

function lean(node: unknown, depth: number): unknown {
  if (Array.isArray(node)) return node.map((n) => lean(n, depth))
  if (!node || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (NOISE.has(k)) continue
    if (k === 'additionalProperties' && v === false) continue
    if (k === 'description') {
      const d = typeof v === 'string' ? firstSentence(v, PARAM_DESCRIPTION_CHARS) : ''
      if (d) out[k] = d
      continue
    }
    // Property names are data, not schema keywords: keep every one, lean its schema.
    if ((k === 'properties' || k === '$defs' || k === 'definitions' || k === 'patternProperties') && v && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, lean(s, depth + 1)]))
      continue
    }
    out[k] = lean(v, depth + 1)
  }
  return out
}

/** A tool's input schema as offered to the model: an object schema without noise. */
export function leanSchema(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  const s = lean(schema ?? {}, 0) as Record<string, unknown>
  if (s.type === undefined) s.type = 'object'
  if (s.type === 'object' && s.properties === undefined) s.properties = {}
  if (Array.isArray(s.required) && s.required.length === 0) delete s.required
  return s
}

/** A tool's description as offered: its first sentence, capped. */
export const leanDescription = (d: string | undefined, fallback: string) => firstSentence(d, TOOL_DESCRIPTION_CHARS) || fallback
