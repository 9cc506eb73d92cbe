import {EXTRA_RULES} from './extra-rules.js'
import type {Finding} from './types.js'

type Lint = (typeof import('@secretlint/core'))['lintSource']
type Config = Parameters<Lint>[0]['options']['config']

const PRESET = '@secretlint/secretlint-rule-preset-recommend'
const PREFIX = '@secretlint/secretlint-rule-'

let engine: Promise<{lint: Lint; config: Config}> | undefined

// secretlint costs ~70 ms to import: only commands that write to refs/parecode or push pay it, once.
function load(): Promise<{lint: Lint; config: Config}> {
  engine ??= Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]).then(([core, preset]) => ({
    lint: core.lintSource,
    config: {
      rules: [{
        id: PRESET,
        rule: preset.creator,
        rules: [
          // AWS access key ids are off by default in the preset; an id next to its secret is what leaks.
          {id: `${PREFIX}aws`, options: {enableIDScanRule: true}},
          // The text we scan comes from a model, a tool or a remote: a `secretlint-disable` comment in it must not hide a key.
          {id: `${PREFIX}filter-comments`, disabled: true},
        ],
      }],
    },
  }))
  return engine
}

// Characters of a key-like token: a range that ends (or starts) inside one is widened to all of it, so no
// tail of a key survives a rule that reports a shorter range than it matched (secretlint's AWS secret rule does).
// Backwards it stops at `=`, which ends a name (`id=AKIA…`) but may pad the end of a base64 key.
const TOKEN = /[A-Za-z0-9+/=_-]/
const TOKEN_BACK = /[A-Za-z0-9+/_-]/

function widen(text: string, start: number, end: number): [number, number] {
  while (start > 0 && TOKEN_BACK.test(text[start - 1]!) && TOKEN_BACK.test(text[start]!)) start--
  while (end < text.length && end > start && TOKEN.test(text[end - 1]!) && TOKEN.test(text[end]!)) end++
  return [start, end]
}

/** Secrets in `text` (`name` is only a label for the scanner): secretlint's recommended rules plus a few common key shapes; overlapping hits merged, sorted by position. */
export async function scanText(text: string, name = 'text'): Promise<Finding[]> {
  if (text.length === 0) return []
  const {lint, config} = await load()
  const res = await lint({source: {filePath: name, content: text, contentType: 'text'}, options: {config, noPhysicFilePath: true, maskSecrets: true}})
  const raw: {rule: string; start: number; end: number}[] = res.messages.map((m) => ({rule: m.ruleId.replace(PREFIX, ''), start: m.range[0], end: m.range[1]}))
  for (const r of EXTRA_RULES) {
    r.pattern.lastIndex = 0
    for (const m of text.matchAll(r.pattern)) {
      const value = r.group ? m[r.group] : m[0]
      if (!value || (r.accept && !r.accept(value))) continue
      const start = m.index + (r.group ? m[0].lastIndexOf(value) : 0)
      raw.push({rule: r.rule, start, end: start + value.length})
    }
  }
  return merge(text, raw)
}

function merge(text: string, raw: {rule: string; start: number; end: number}[]): Finding[] {
  const spans = raw
    .filter((r) => r.end > r.start)
    .map((r) => {
      const [start, end] = widen(text, Math.max(0, r.start), Math.min(text.length, r.end))
      return {rule: r.rule, start, end}
    })
    .sort((a, b) => a.start - b.start || b.end - a.end)
  const out: Finding[] = []
  let line = 1
  let counted = 0
  for (const s of spans) {
    const last = out[out.length - 1]
    if (last && s.start < last.end) {
      last.end = Math.max(last.end, s.end)
      continue
    }
    for (; counted < s.start; counted++) if (text.charCodeAt(counted) === 10) line++
    out.push({rule: s.rule, start: s.start, end: s.end, line})
  }
  return out
}
