/**
 * Shell completion for `git pare`, one engine for every shell: the shell scripts in completions/ pass the words
 * typed after `pare` (the last one is the word being completed) to `git pare __complete`, which answers one
 * candidate per line. Commands and flags come from oclif.manifest.json; plan ids, checkpoints and session ids
 * from the repository's refs, through `values`.
 */
export interface ManifestFlag {
  type?: string
  char?: string
  hidden?: boolean
  options?: string[]
}

export interface ManifestCommand {
  hidden?: boolean
  args?: Record<string, unknown>
  flags?: Record<string, ManifestFlag>
}

export type ValueKind = 'plans' | 'checkpoints' | 'sessions' | 'remotes'

/** What a flag's or an argument's value names, by command id. */
const FLAG_VALUES: Record<string, ValueKind> = {plan: 'plans', 'trust-plan': 'plans', session: 'sessions', remote: 'remotes'}
const ARG_VALUES: Record<string, ValueKind> = {show: 'checkpoints', diff: 'checkpoints', 'session:show': 'sessions', push: 'remotes', pull: 'remotes'}

export function complete(commands: Record<string, ManifestCommand>, typed: readonly string[], values: (kind: ValueKind) => string[]): string[] {
  const visible = Object.entries(commands).filter(([id, c]) => !c.hidden && !id.startsWith('__'))
  const ids = new Set(visible.map(([id]) => id))
  const cur = typed.at(-1) ?? ''
  const before = typed.slice(0, -1)
  const prev = before.at(-1)

  // The command id: the first word, and the second when the first is a topic (`plan show`).
  const words = before.filter((w) => !w.startsWith('-'))
  let id: string | undefined
  let used = 0
  if (words[0] && words[1] && ids.has(`${words[0]}:${words[1]}`)) [id, used] = [`${words[0]}:${words[1]}`, 2]
  else if (words[0] && (ids.has(words[0]) || isTopic(ids, words[0]))) [id, used] = [words[0], 1]

  const flags = (id && commands[id]?.flags) || {}
  const flagAt = prev?.startsWith('--') ? flags[prev.slice(2)] : undefined
  if (flagAt && flagAt.type === 'option') {
    const kind = FLAG_VALUES[prev!.slice(2)]
    return match(kind ? values(kind) : (flagAt.options ?? []), cur)
  }
  if (cur.startsWith('-')) {
    const names = Object.entries(flags).filter(([, f]) => !f.hidden).map(([n]) => `--${n}`)
    return match(names.length ? names : ['--help', '--version', '--json', '--verbose'], cur)
  }
  if (!id) {
    const top = new Set(visible.map(([i]) => i.split(':')[0]!))
    return match([...top].sort(), cur)
  }
  if (used === 1 && isTopic(ids, id)) {
    const subs = visible.map(([i]) => i).filter((i) => i.startsWith(`${id}:`)).map((i) => i.slice(id!.length + 1))
    // A topic that is also a command (`plan "task"`) takes free text there: offer its subcommands only.
    if (words.length === 1) return match(subs.sort(), cur)
  }
  const kind = ARG_VALUES[id]
  return kind && words.length === used ? match(values(kind), cur) : []
}

function isTopic(ids: Set<string>, word: string): boolean {
  for (const id of ids) if (id.startsWith(`${word}:`)) return true
  return false
}

function match(list: string[], cur: string): string[] {
  return list.filter((w) => w.startsWith(cur))
}
