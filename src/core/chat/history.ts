import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'

/** Entries kept in the chat history file; older ones are dropped. */
export const HISTORY_MAX = 500
/** One entry longer than this is not kept (a pasted file). */
const ENTRY_MAX_CHARS = 4000

/** Where the prompt history lives: in the git dir, shared by the work trees of a clone, never in the work tree. */
export const chatHistoryFile = (commonDir: string): string => path.join(commonDir, 'parecode', 'chat-history')

/**
 * The history, newest first (readline's order). One JSON string per line, oldest first, so entries of several
 * lines survive; a line that is not a JSON string (a damaged file) is skipped.
 */
export async function readHistory(file: string, max = HISTORY_MAX): Promise<string[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return []
  }
  const out: string[] = []
  for (const line of text.split('\n')) {
    if (!line) continue
    try {
      const v: unknown = JSON.parse(line)
      if (typeof v === 'string' && v) out.push(v)
    } catch {
      // skipped
    }
  }
  return out.slice(-max).reverse()
}

/** Add one entry (not a repeat of the newest) and rewrite the file, capped; returns the new history, newest first. */
export function pushHistory(history: readonly string[], entry: string, max = HISTORY_MAX): string[] {
  const e = entry.trim()
  if (!e || e.length > ENTRY_MAX_CHARS || history[0] === e) return [...history]
  return [e, ...history.filter((h) => h !== e)].slice(0, max)
}

/** Write the history (newest first in memory, oldest first on disk) atomically. */
export async function writeHistory(file: string, history: readonly string[], max = HISTORY_MAX): Promise<void> {
  await mkdir(path.dirname(file), {recursive: true})
  const lines = history.slice(0, max).reverse().map((h) => JSON.stringify(h))
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, lines.length ? `${lines.join('\n')}\n` : '')
  await rename(tmp, file)
}
