/** A TOML value as far as project detection needs it. */
export type TomlValue = string | number | boolean | TomlValue[] | {[k: string]: TomlValue}
export type TomlTables = Record<string, Record<string, TomlValue>>

/**
 * Just enough TOML for manifests (Cargo.toml, pyproject.toml, rustfmt.toml, ruff.toml): tables, dotted keys,
 * strings, numbers, booleans, arrays (also over several lines) and inline tables. Unparseable values stay raw text;
 * it never throws. Keys of `[a.b]` land under "a.b"; top-level keys under "".
 */
export function parseTomlLite(text: string): TomlTables {
  const out: TomlTables = {'': {}}
  let table = ''
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = stripComment(lines[i]!).trim()
    if (!line) continue
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line)
    if (header) {
      table = header[1]!.replace(/["']/g, '').replace(/\s*\.\s*/g, '.')
      out[table] ??= {}
      continue
    }
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    let key = line.slice(0, eq).trim().replace(/["']/g, '').replace(/\s*\.\s*/g, '.')
    let raw = line.slice(eq + 1).trim()
    // Triple-quoted strings, multi-line arrays and inline tables: read on until they close.
    if (/^("""|''')/.test(raw)) {
      const q = raw.slice(0, 3)
      while (!(raw.length >= 6 && raw.trimEnd().endsWith(q)) && i + 1 < lines.length) raw += '\n' + lines[++i]!
    } else {
      while (unbalanced(raw) && i + 1 < lines.length) raw += '\n' + stripComment(lines[++i]!)
    }
    let target = table
    const dot = key.lastIndexOf('.')
    if (dot > 0) {
      target = table ? `${table}.${key.slice(0, dot)}` : key.slice(0, dot)
      key = key.slice(dot + 1)
    }
    out[target] ??= {}
    out[target]![key] = parseValue(raw.trim())
  }
  return out
}

function stripComment(line: string): string {
  let quote: string | undefined
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quote) {
      if (ch === '\\' && quote === '"') i++
      else if (ch === quote) quote = undefined
    } else if (ch === '"' || ch === "'") quote = ch
    else if (ch === '#') return line.slice(0, i)
  }
  return line
}

/** Walk `s` outside quoted strings, tracking bracket depth; `onComma` gets each top-level comma. Returns the final depth. */
function walkTop(s: string, onComma?: (i: number) => void): number {
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!
    if (quote) {
      if (ch === '\\' && quote === '"') i++
      else if (ch === quote) quote = undefined
    } else if (ch === '"' || ch === "'") quote = ch
    else if (ch === '[' || ch === '{') depth++
    else if (ch === ']' || ch === '}') depth--
    else if (ch === ',' && depth === 0) onComma?.(i)
  }
  return depth
}

function unbalanced(raw: string): boolean {
  return walkTop(raw) > 0
}

function splitTop(inner: string): string[] {
  const parts: string[] = []
  let start = 0
  walkTop(inner, (i) => {
    parts.push(inner.slice(start, i))
    start = i + 1
  })
  parts.push(inner.slice(start))
  return parts.map((p) => p.trim()).filter(Boolean)
}

function parseValue(raw: string): TomlValue {
  if (/^("""|''')/.test(raw)) return raw.slice(3, raw.endsWith(raw.slice(0, 3)) ? -3 : undefined).replace(/^\n/, '')
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) return raw.slice(1, -1).replace(/\\(["\\])/g, '$1').replace(/\\n/g, '\n')
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) return raw.slice(1, -1)
  if (raw === 'true' || raw === 'false') return raw === 'true'
  if (/^[+-]?\d[\d_]*(\.\d+)?$/.test(raw)) return Number(raw.replace(/_/g, ''))
  if (raw.startsWith('[') && raw.endsWith(']')) return splitTop(raw.slice(1, -1)).map(parseValue)
  if (raw.startsWith('{') && raw.endsWith('}')) {
    const obj: Record<string, TomlValue> = {}
    for (const part of splitTop(raw.slice(1, -1))) {
      const eq = part.indexOf('=')
      if (eq > 0) obj[part.slice(0, eq).trim().replace(/["']/g, '')] = parseValue(part.slice(eq + 1).trim())
    }
    return obj
  }
  return raw
}
