import {closest} from '../core/config/suggest.js'
import {UsageError} from '../core/errors/usage-error.js'

/** What a command offers, for suggestions: its flag names (long, without dashes). */
export interface CommandShape {
  id: string
  flags: string[]
}

/**
 * oclif's parse errors (unknown flag, bad integer, missing argument, bad option) as one line with a hint, exit 2,
 * instead of oclif's multi-line message followed by the whole usage text.
 */
export function usageFromParseError(err: {message?: string}, cmd: CommandShape, bin = 'git pare'): UsageError {
  const raw = (err.message ?? '').replace(/\n\s*See more help with --help\s*$/i, '')
  const lines = raw.split('\n').map((l) => l.trim()).filter(Boolean)
  const help = `see \`${bin} ${cmd.id} --help\``
  const first = lines[0] ?? 'bad arguments'

  const unknown = /^Nonexistent flags?: (.+)$/i.exec(first)
  if (unknown) {
    const given = unknown[1]!.split(/,\s*/)
    const guess = given.length === 1 ? closest(given[0]!.replace(/^-+/, '').split('=')[0]!, cmd.flags) : undefined
    return new UsageError(`unknown flag${given.length > 1 ? 's' : ''} ${given.join(', ')}`, guess ? `did you mean --${guess}? (${help})` : help)
  }
  const parsing = /^Parsing (--[\w-]+)/i.exec(first)
  if (parsing) {
    const detail = lines.slice(1).join(' ')
    const integer = /Expected an integer(?: (greater|less) than or equal to (-?\d+))?(?: but received: (.*))?/i.exec(detail)
    if (integer) {
      const bound = integer[1] ? ` ${integer[1] === 'greater' ? '≥' : '≤'} ${integer[2]}` : ''
      const example = integer[1] === 'greater' ? Number(integer[2]) : 10
      return new UsageError(`${parsing[1]} needs a whole number${bound}, not "${integer[3] ?? ''}"`, `e.g. ${parsing[1]} ${Number.isFinite(example) ? example : 10}; ${help}`)
    }
    return new UsageError(`${parsing[1]}: ${detail || 'bad value'}`, help)
  }
  const option = /^Expected (--[\w-]+)=(.*) to be one of: (.+)$/i.exec(first)
  if (option) return new UsageError(`${option[1]}: "${option[2]}" is not one of ${option[3]}`, help)
  const missing = /^Missing (\d+) required args?:?$/i.exec(first)
  if (missing) {
    const names = lines.slice(1).map((l) => l.split(/\s{2,}/)[0]!.toUpperCase())
    return new UsageError(`missing ${names.length > 1 ? 'arguments' : 'argument'} ${names.join(', ') || '(see usage)'}`, help)
  }
  return new UsageError(lines.join(': ').replace(/\s+/g, ' '), help)
}
