import {redact, redactSegments, type Segment} from './redact.js'
import {scanText} from './scanner.js'
import type {Finding} from './types.js'

type YamlLib = typeof import('yaml')

/**
 * Redact secrets in a YAML document (meta.yaml, plan.yaml) inside its scalars and comments, so the
 * document still parses and a marker never turns a value into a flow sequence (`key: [redacted:…]`).
 * A document that does not parse, or whose result still shows a finding, is redacted as plain text:
 * no secret is kept for the sake of tidy YAML. Findings: `line` is the document line.
 */
export async function redactYaml(text: string, name = 'document.yaml'): Promise<{text: string; findings: Finding[]}> {
  if (text.length === 0) return {text, findings: []}
  const YAML = await import('yaml')
  const lineCounter = new YAML.LineCounter()
  const doc = YAML.parseDocument(text, {lineCounter, prettyErrors: false})
  if (doc.errors.length > 0) return redact(text, name)
  const segments: Segment[] = []
  const lineOf = (node: unknown) => {
    const range = (node as {range?: [number, number, number]}).range
    return range ? lineCounter.linePos(range[0]).line : 1
  }
  comments(doc, 1, segments)
  walk(YAML, doc.contents, segments, lineOf)
  const findings = await redactSegments(segments, name)
  const out = findings.length ? doc.toString({lineWidth: 0}) : text
  const left = await scanText(out, name)
  if (left.length > 0 || (findings.length && YAML.parseDocument(out).errors.length > 0)) {
    const raw = await redact(out, name)
    return {text: raw.text, findings: [...findings, ...raw.findings]}
  }
  return {text: out, findings}
}

type Commented = {comment?: string | null; commentBefore?: string | null}

function comments(node: Commented, line: number, out: Segment[]): void {
  if (node.commentBefore) out.push('\n', {value: node.commentBefore, line, set: (s) => (node.commentBefore = s)}, '\n')
  if (node.comment) out.push('\n', {value: node.comment, line, set: (s) => (node.comment = s)}, '\n')
}

// Glue mimics `"name": "value"` so rules that need the name (AWS_SECRET_ACCESS_KEY: …) still see it.
function walk(YAML: YamlLib, node: unknown, out: Segment[], lineOf: (n: unknown) => number, key = false): void {
  if (!YAML.isNode(node)) return
  comments(node, lineOf(node), out)
  if (YAML.isScalar(node)) {
    if (typeof node.value === 'string') out.push('"', {value: node.value, line: lineOf(node), key, set: (s) => (node.value = s)}, key ? '": ' : '"\n')
  } else if (YAML.isMap(node)) {
    for (const pair of node.items) {
      walk(YAML, pair.key, out, lineOf, true)
      walk(YAML, pair.value, out, lineOf)
      out.push('\n')
    }
  } else if (YAML.isSeq(node)) {
    for (const item of node.items) walk(YAML, item, out, lineOf)
  }
}
