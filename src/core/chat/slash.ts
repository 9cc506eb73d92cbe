import {closest} from '../config/suggest.js'

/** A line typed at the chat prompt: a slash command with its arguments, or a turn for the agent. */
export type ChatInput = {kind: 'slash'; name: string; args: string[]; raw: string} | {kind: 'turn'; text: string} | {kind: 'empty'}

/** Split arguments like a shell does for quotes: "a b" and 'a b' are one argument; a backslash escapes the next character. */
export function splitArgs(text: string): string[] {
  const out: string[] = []
  let cur = ''
  let quote: string | undefined
  let has = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i]
      else cur += c
    } else if (c === '"' || c === "'") {
      quote = c
      has = true
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i]
      has = true
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur)
      cur = ''
      has = false
    } else {
      cur += c
    }
  }
  if (has || cur) out.push(cur)
  return out
}

/** `/name args…` is a command (`//text` sends `/text` as a turn); anything else is a turn. */
export function parseInput(line: string): ChatInput {
  const text = line.trim()
  if (!text) return {kind: 'empty'}
  if (text.startsWith('//')) return {kind: 'turn', text: text.slice(1)}
  const m = /^\/([A-Za-z][\w-]*)?(?:\s+([\s\S]*))?$/.exec(text)
  if (text.startsWith('/') && m) return {kind: 'slash', name: (m[1] ?? '').toLowerCase(), args: m[2] ? splitArgs(m[2]) : [], raw: m[2] ?? ''}
  return {kind: 'turn', text}
}

/** Tab completion of a slash command's name: the names that start with what was typed. */
export function completeSlash(line: string, names: readonly string[]): [string[], string] {
  const m = /^\/([\w-]*)$/.exec(line)
  if (!m) return [[], line]
  const hits = names.filter((n) => n.startsWith(m[1]!)).map((n) => `/${n}`)
  return [hits, line]
}

/** "did you mean" for an unknown command name. */
export function suggestSlash(name: string, names: readonly string[]): string | undefined {
  return name ? closest(name, names) : undefined
}
