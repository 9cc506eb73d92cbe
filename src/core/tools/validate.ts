/**
 * A tiny validator for our hand-written tool schemas: required keys and primitive types, with the
 * lenient coercions small models need ("true" for true, "60" for 60, null for "not given").
 */

interface Prop {
  type?: string
  description?: string
}

interface ObjectSchema {
  properties?: Record<string, Prop>
  required?: string[]
}

/** The compact expected shape of a tool's arguments, e.g. `{path: string, line_range?: string}`. */
export function shapeOf(params: Record<string, unknown>): string {
  const s = params as ObjectSchema
  const req = new Set(s.required ?? [])
  const parts = Object.entries(s.properties ?? {}).map(([k, p]) => `${k}${req.has(k) ? '' : '?'}: ${p.type ?? 'any'}`)
  return `{${parts.join(', ')}}`
}

function coerce(value: unknown, type: string | undefined): {ok: true; value: unknown} | {ok: false} {
  switch (type) {
    case undefined:
      return {ok: true, value}
    case 'string':
      if (typeof value === 'string') return {ok: true, value}
      if (typeof value === 'number' || typeof value === 'boolean') return {ok: true, value: String(value)}
      // A range sent as [10, 80] where "10-80" was asked for.
      if (Array.isArray(value) && value.length > 0 && value.length <= 2 && value.every((v) => typeof v === 'number')) {
        return {ok: true, value: value.join('-')}
      }
      return {ok: false}
    case 'boolean':
      if (typeof value === 'boolean') return {ok: true, value}
      if (value === 'true' || value === 1) return {ok: true, value: true}
      if (value === 'false' || value === 0) return {ok: true, value: false}
      return {ok: false}
    case 'integer':
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return {ok: true, value}
      if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return {ok: true, value: Number(value)}
      return {ok: false}
    case 'array':
      return Array.isArray(value) ? {ok: true, value} : {ok: false}
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? {ok: true, value} : {ok: false}
    default:
      return {ok: true, value}
  }
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v
}

/** Check (and leniently coerce) parsed arguments against a tool's schema. Unknown keys are dropped. */
export function validateArgs(params: Record<string, unknown>, args: unknown): {ok: true; args: Record<string, unknown>} | {ok: false; error: string} {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return {ok: false, error: `arguments must be a JSON object, got ${describe(args)}`}
  const s = params as ObjectSchema
  const props = s.properties ?? {}
  const out: Record<string, unknown> = {}
  const problems: string[] = []
  for (const [k, v] of Object.entries(args as Record<string, unknown>)) {
    const p = props[k]
    if (!p || v === null || v === undefined) continue
    const c = coerce(v, p.type)
    if (c.ok) out[k] = c.value
    else problems.push(`${k} must be ${p.type}, got ${describe(v)}`)
  }
  const missing = (s.required ?? []).filter((k) => !(k in out) && !problems.some((m) => m.startsWith(`${k} `)))
  if (missing.length) problems.unshift(`missing ${missing.join(', ')}`)
  return problems.length ? {ok: false, error: problems.join('; ')} : {ok: true, args: out}
}
