import {parseDocument} from 'yaml'

// plan.yaml and meta.yaml arrive from remotes (`git pare pull`), so they are parsed as untrusted input: a size cap
// before the parser sees them, no alias expansion (a "billion laughs" document) and a cap on flow nesting (`[[[[…`),
// which the parser handles recursively and slowly. git-pare never writes aliases itself.

const MAX_FLOW_DEPTH = 64

/** The result of a guarded parse: the value, or one line saying why not (and the line of a syntax error). */
export type SafeYaml = {ok: true; value: unknown} | {ok: false; reason: string; line?: number}

function tooDeep(text: string): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 91 || c === 123) {
      if (++depth > MAX_FLOW_DEPTH) return true
    } else if ((c === 93 || c === 125) && depth > 0) depth--
    // A top-level key starts a new flow context: unbalanced brackets in one step's prose do not add up.
    else if (c === 10 && /[A-Za-z]/.test(text[i + 1] ?? '')) depth = 0
  }
  return false
}

/** Parse YAML that may come from someone else: never throws, never expands aliases, refuses huge or deeply nested text. */
export function parseYamlSafely(text: string, maxBytes: number): SafeYaml {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) return {ok: false, reason: `it is larger than ${Math.round(maxBytes / 1024)} KB`}
  if (tooDeep(text)) return {ok: false, reason: `it nests deeper than ${MAX_FLOW_DEPTH} levels`}
  try {
    const doc = parseDocument(text, {prettyErrors: true, uniqueKeys: true})
    if (doc.errors.length) {
      const e = doc.errors[0]!
      return {ok: false, reason: `invalid YAML: ${e.message.split('\n')[0]}`, ...(e.linePos?.[0]?.line ? {line: e.linePos[0].line} : {})}
    }
    return {ok: true, value: doc.toJS({maxAliasCount: 0})}
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0]! : String(err)
    return {ok: false, reason: /alias/i.test(msg) ? 'it uses YAML aliases (refused: they can expand without bound)' : `invalid YAML: ${msg}`}
  }
}
