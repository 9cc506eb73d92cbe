import {completeMention} from '../../core/chat/attach.js'
import {completeSlash} from '../../core/chat/slash.js'

/** Tab completion at the chat prompt: slash commands at the start of the line, `@path` from the files git tracks. */
export function completer(names: readonly string[], files: () => readonly string[]): (line: string) => [string[], string] {
  return (line) => {
    if (/^\/[\w-]*$/.test(line)) return completeSlash(line, names)
    return completeMention(line, files())
  }
}
