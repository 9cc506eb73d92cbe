/** One thing a repository supplies that stays inert until the user approves its exact content. */
export interface TrustItem {
  /** Approval key: `config:.parecode/config.yaml`, `hook:<command>`, `conventions:AGENTS.md`, `mcp:<server>`. */
  key: string
  kind: 'config' | 'hook' | 'conventions' | 'mcp'
  /** What it is, as the user knows it (a file name, a command). */
  label: string
  /** What approving it allows, in a few words. */
  why: string
  /** The exact content approved (its hash is stored). */
  content: string
}

/** Keys and contents of items, as the approval store takes them. */
export const approvalItems = (items: TrustItem[]) => items.map((i) => ({key: i.key, content: i.content}))

/**
 * The one line an unapproved repository gets: what was ignored, and how to approve it. Undefined when nothing was.
 */
export function ignoredNote(labels: string[]): string | undefined {
  const list = [...new Set(labels)]
  if (!list.length) return undefined
  const shown = list.length > 4 ? [...list.slice(0, 3), `${list.length - 3} more`] : list
  return `ignoring what this repository supplies until you approve it: ${shown.join(', ')}; review and approve with \`git pare trust\``
}
