import {scanText} from './scanner.js'
import type {Finding} from './types.js'

/** What stands in for a secret: the rule's name only, never any part of the key. No quote, backslash or newline, so it is safe inside JSON and YAML strings. */
export const marker = (rule: string) => `[redacted:${rule.replace(/[^A-Za-z0-9._-]/g, '-')}]`

/** Replace given (sorted, non-overlapping) findings in `text` by markers. */
export function applyRedactions(text: string, findings: Finding[]): string {
  let out = ''
  let pos = 0
  for (const f of findings) {
    out += text.slice(Math.min(pos, f.start), f.start) + marker(f.rule)
    pos = Math.max(pos, f.end)
  }
  return out + text.slice(pos)
}

/** `text` with every secret replaced by `[redacted:<rule>]`, and what was found (offsets into the original). */
export async function redact(text: string, name = 'text'): Promise<{text: string; findings: Finding[]}> {
  const findings = await scanText(text, name)
  return {text: findings.length ? applyRedactions(text, findings) : text, findings}
}

/** One string of a structured document (a JSON or YAML value, key or comment) and how to put it back. */
export interface Leaf {
  value: string
  set(value: string): void
  /** 1-based line of the document it belongs to (for reports). */
  line: number
  /** A mapping key: redacted only when a finding lies in keys alone (a rule that starts at `AWS_SECRET_ACCESS_KEY` means its value). */
  key?: boolean
}

/** A document as the scanner should read it: leaves (decoded strings) with glue text between them (`": "`, newlines). */
export type Segment = string | Leaf

/**
 * Scan the decoded strings of a document in one pass and redact the leaves that hold findings. Decoded
 * strings are what a reader sees: a key JSON-escaped as `\u0041KIA…` or a PEM block with `\n` escapes is
 * found here; the glue keeps `"name": "value"` shapes visible to rules that need the name.
 * Findings: `line` is the leaf's document line, `start`/`end` offsets within the leaf's string.
 */
export async function redactSegments(segments: Segment[], name: string): Promise<Finding[]> {
  const spans: {leaf: Leaf; start: number; end: number}[] = []
  let joined = ''
  for (const s of segments) {
    if (typeof s === 'string') joined += s
    else {
      spans.push({leaf: s, start: joined.length, end: joined.length + s.value.length})
      joined += s.value
    }
  }
  const local = new Map<Leaf, Finding[]>()
  let i = 0
  for (const f of await scanText(joined, name)) {
    while (i < spans.length && spans[i]!.end <= f.start) i++
    const hit = []
    for (let k = i; k < spans.length && spans[k]!.start < f.end; k++) if (spans[k]!.end > spans[k]!.start) hit.push(spans[k]!)
    const values = hit.filter((h) => !h.leaf.key)
    for (const h of values.length ? values : hit) {
      const list = local.get(h.leaf) ?? []
      const start = Math.max(f.start, h.start) - h.start
      const end = Math.min(f.end, h.end) - h.start
      const prev = list[list.length - 1]
      if (prev && start < prev.end) prev.end = Math.max(prev.end, end)
      else list.push({rule: f.rule, start, end, line: h.leaf.line})
      local.set(h.leaf, list)
    }
  }
  const findings: Finding[] = []
  for (const [leaf, fs] of local) {
    leaf.set(applyRedactions(leaf.value, fs))
    findings.push(...fs)
  }
  return findings.sort((a, b) => a.line - b.line || a.start - b.start)
}
