import {Help, type Command} from '@oclif/core'

/**
 * Help that reads like git's: oclif names the binary (`git-pare`), but people type `git pare`, so usage, examples and
 * the help command say that. Descriptions are paragraphs: the line breaks of a description's source are not kept
 * (oclif wraps to the terminal itself, and keeping both gave ragged lines); lists and indented lines stay as written.
 */
export default class GitPareHelp extends Help {
  protected log(...args: string[]): void {
    super.log(...args.map(gitPare))
  }

  protected formatCommand(command: Command.Loadable): string {
    const flags = Object.fromEntries(Object.entries(command.flags ?? {}).map(([name, f]) => [name, name === 'json' ? {...f, description: JSON_FLAG} : f]))
    return super.formatCommand({...command, description: command.description && paragraphs(command.description), flags} as Command.Loadable)
  }
}

/** oclif's own text for --json ("Format output as json.") in the case and detail of every other flag. */
const JSON_FLAG = 'print one JSON object, {"status","result","warnings"}, instead of text'

/** `git-pare` where it names the command (`$ git-pare run`, `help for git-pare.`), not in `git-pare/0.1.0` or `DEBUG=git-pare*`. */
export function gitPare(text: string): string {
  return text.replace(/(^|[\s`'"(])git-pare(?=$|[\s.,:;)`'"])/gm, '$1git pare')
}

// A line that starts a list item, a table row, a command or is indented: its break is meaning, not wrapping.
const KEEP = /^(\s|[-*•|$>]|\d+[.)]\s)/

/** Join the lines of each prose paragraph; blank lines, list items and indented lines stay. */
export function paragraphs(text: string): string {
  return text
    .split(/\n[ \t]*\n/)
    .map((para) => {
      const lines = para.split('\n')
      const out: string[] = []
      for (const l of lines) {
        const prev = out.length ? out[out.length - 1]! : undefined
        if (prev !== undefined && !KEEP.test(l) && !KEEP.test(prev)) out[out.length - 1] = `${prev.trimEnd()} ${l.trimStart()}`
        else out.push(l)
      }
      return out.join('\n')
    })
    .join('\n\n')
}
