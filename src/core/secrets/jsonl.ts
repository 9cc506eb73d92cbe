import {applyRedactions, redactSegments, type Segment} from './redact.js'
import {scanText} from './scanner.js'
import type {Finding} from './types.js'

type Json = null | boolean | number | string | Json[] | {[k: string]: Json}

// An own data property, also for a key like "__proto__" (plain assignment would change the prototype).
const put = (o: object, k: string, v: unknown) => Object.defineProperty(o, k, {value: v, writable: true, enumerable: true, configurable: true})

// Glue mimics the JSON around each string so rules that read `"name": "value"` still see it.
function collect(node: Json, line: number, out: Segment[], renames: (() => void)[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      if (typeof v === 'string') out.push('"', {value: v, line, set: (s) => (node[i] = s)}, '",\n')
      else collect(v, line, out, renames)
    })
  } else if (node && typeof node === 'object') {
    for (const k of Object.keys(node)) {
      const v = node[k]!
      out.push('"', {value: k, line, key: true, set: (s) => renames.push(() => renameKey(node, k, s))}, '": ')
      if (typeof v === 'string') out.push('"', {value: v, line, set: (s) => put(node, k, s)}, '",\n')
      else {
        out.push('\n')
        collect(v, line, out, renames)
      }
    }
  }
}

// Keys keep their order: rebuild the object with the new name in the old one's place.
function renameKey(node: {[k: string]: Json}, from: string, to: string): void {
  const entries = Object.entries(node).map(([k, v]) => [k === from ? to : k, v] as const)
  for (const k of Object.keys(node)) delete node[k]
  for (const [k, v] of entries) put(node, k, v)
}

/**
 * Redact secrets inside the string values (and keys) of each JSON line, so every line that parsed still
 * parses and means the same apart from the markers; a line that is not JSON is redacted as plain text.
 * A last scan of the raw result catches anything only the raw text shows; such a line is redacted raw and
 * kept only if it still parses (else it becomes one JSON string). Findings: `line` is the JSONL line.
 */
export async function redactJsonl(text: string, name = 'chat.jsonl'): Promise<{text: string; findings: Finding[]}> {
  const lines = text.split('\n')
  const segments: Segment[] = []
  const renames: (() => void)[] = []
  const roots = lines.map((raw, i): {v: Json} | null => {
    segments.push('\n\u0000\n')
    if (raw.trim() === '') return null
    let root: {v: Json}
    try {
      root = {v: JSON.parse(raw) as Json}
    } catch {
      segments.push({value: raw, line: i + 1, set: (s) => (lines[i] = s)})
      return null
    }
    if (typeof root.v === 'string') segments.push('"', {value: root.v, line: i + 1, set: (s) => (root.v = s)}, '"')
    else collect(root.v, i + 1, segments, renames)
    return root
  })
  const findings = await redactSegments(segments, name)
  for (const r of renames) r()
  for (const i of new Set(findings.map((f) => f.line - 1))) if (roots[i]) lines[i] = JSON.stringify(roots[i]!.v)
  const out = lines.join('\n')
  const left = await scanText(out, name)
  if (left.length === 0) return {text: findings.length ? out : text, findings}
  // Rare: a finding only the raw text shows (it spans the JSON structure, or non-JSON lines). Redact it
  // there and re-validate: a JSON-looking line the marker broke is kept as one JSON string.
  const fixed = applyRedactions(out, left)
    .split('\n')
    .map((l) => (l.includes('[redacted:') && /^\s*[[{"]/.test(l) && !parses(l) ? JSON.stringify(l) : l))
  return {text: fixed.join('\n'), findings: [...findings, ...left]}
}

function parses(line: string): boolean {
  try {
    JSON.parse(line)
    return true
  } catch {
    return false
  }
}
