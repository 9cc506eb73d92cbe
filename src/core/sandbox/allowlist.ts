// Which commands run without asking under `ask` and `never`. A command qualifies only when it is one simple
// command made of plain words: no operators, redirections, expansions or globs. Rather than a general shell
// parser (shell-quote expands `$VAR` to nothing and leaves backticks as text; mvdan-sh is a large GopherJS
// build), a strict tokenizer accepts only what it fully understands and refuses the rest: erring towards
// asking is safe, erring towards running is not.
import path from 'node:path'
import {realpathLoose} from '../tools/paths.js'

/** Characters an unquoted word may hold. Globs (`*?[`), braces, `$`, backticks, `\`, `!`, `;&|<>()` are not among them. */
const PLAIN = /^[A-Za-z0-9_\-./:=,+@%^~#]$/

/** The words of `command` when it is one simple command of plain and quoted words; null for anything else. */
export function plainWords(command: string): string[] | null {
  const s = command.trim()
  if (!s || s.includes('\n') || s.includes('\r')) return null
  const words: string[] = []
  let cur = ''
  let inWord = false
  for (let i = 0; i < s.length; ) {
    const c = s[i]!
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur)
      cur = ''
      inWord = false
      i++
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1)
      if (end < 0) return null
      cur += s.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      let j = i + 1
      for (; j < s.length && s[j] !== '"'; j++) {
        const d = s[j]!
        // In double quotes `\` escapes only these; before anything else it is a literal backslash.
        if (d === '\\' && j + 1 < s.length && !'$`"\\'.includes(s[j + 1]!)) {
          cur += d
          continue
        }
        if ('$`\\!'.includes(d)) return null
        cur += d
      }
      if (j >= s.length) return null
      inWord = true
      i = j + 1
    } else {
      if (!PLAIN.test(c)) return null
      // `#` starts a comment at a word's start; `~` expands at a word's start and after `=` or `:`.
      if (c === '#' && !inWord) return null
      if (c === '~' && !/[A-Za-z0-9^_.}-]/.test(s[i - 1] ?? '')) return null
      cur += c
      inWord = true
      i++
    }
  }
  if (inWord) words.push(cur)
  return words.length ? words : null
}

interface Builtin {
  prefix: string[]
  /** Options that write files, run programs or follow symlinks out: their presence needs approval. */
  deny?: RegExp
}

const GIT_DENY = /^(--output(=|$)|--ext-diff$|--textconv$|--open-files-in-pager|-O)/
/** Read-only commands that run without asking. */
export const BUILTIN_ALLOW: Builtin[] = [
  {prefix: ['ls']},
  {prefix: ['cat']},
  {prefix: ['head']},
  {prefix: ['tail']},
  {prefix: ['wc']},
  {prefix: ['pwd']},
  {prefix: ['echo']},
  {prefix: ['grep'], deny: /^(-[A-Za-z]*R|--dereference-recursive$)/},
  {prefix: ['rg'], deny: /^(--pre(-glob)?(=|$)|-[A-Za-z]*[Lz]|--follow$|--search-zip$)/},
  {prefix: ['find'], deny: /^(-exec|-execdir|-ok|-okdir|-delete|-fprint|-fprint0|-fprintf|-fls|-L|-follow)$/},
  {prefix: ['git', 'status'], deny: GIT_DENY},
  {prefix: ['git', 'diff'], deny: GIT_DENY},
  {prefix: ['git', 'log'], deny: GIT_DENY},
  {prefix: ['git', 'show'], deny: GIT_DENY},
  {prefix: ['git', 'ls-files'], deny: GIT_DENY},
]

const startsWith = (words: string[], prefix: string[]): boolean => prefix.length <= words.length && prefix.every((p, i) => words[i] === p)

/** A built-in command's argument stays in the work tree: not absolute, no `~`, no `..` step, no symlink out. */
function staysInside(arg: string, root: string): boolean {
  const candidates = [arg]
  const eq = arg.indexOf('=')
  if (eq >= 0) candidates.push(arg.slice(eq + 1))
  if (/^-[A-Za-z]./.test(arg)) candidates.push(arg.slice(2)) // -f/etc/x
  for (const c of candidates) {
    if (c.startsWith('/') || c.startsWith('~') || c.split('/').includes('..')) return false
  }
  // Through the deepest existing ancestor: a symlink on the way out counts even when the file itself does not exist.
  const rel = path.relative(root, realpathLoose(path.resolve(root, arg)))
  return !(rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel))
}


/** Whether `command` may run without asking: a built-in read-only command kept inside the work tree, or one of the user's prefixes. */
export function isAllowlisted(command: string, opts: {root: string; allow?: string[]}): boolean {
  const words = plainWords(command)
  if (!words) return false
  for (const b of BUILTIN_ALLOW) {
    if (!startsWith(words, b.prefix)) continue
    const rest = words.slice(b.prefix.length)
    if (b.deny && rest.some((w) => b.deny!.test(w))) return false
    return rest.every((w) => staysInside(w, opts.root))
  }
  for (const p of opts.allow ?? []) {
    const prefix = plainWords(p)
    if (prefix && startsWith(words, prefix)) return true
  }
  return false
}
