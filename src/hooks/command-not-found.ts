import type {Hook} from '@oclif/core'
import {closest} from '../core/config/suggest.js'

/**
 * An unknown command: one line with the nearest command, exit 2. Replaces @oclif/plugin-not-found, which
 * suggests nothing when stdin is not a TTY (scripts, agents, CI) and prompts when it is.
 */
const hook: Hook<'command_not_found'> = async function (opts) {
  const sep = opts.config.topicSeparator ?? ' '
  const show = (id: string) => id.replaceAll(':', sep)
  const visible = opts.config.commands.filter((c) => !c.hidden)
  const ids = [...visible.map((c) => c.id), ...visible.flatMap((c) => c.aliases)]
  const typed = show(opts.id)
  const guess = closest(typed, ids.map(show))
  const bin = opts.config.bin
  let line = `error: unknown command "${typed}"`
  if (guess) line += `; did you mean "${guess}"?`
  process.stderr.write(`${line}\n`)
  // `git pare "fix the tests"`: a task given without a command.
  if (/\s/.test(opts.id) && ids.includes('run')) process.stderr.write(`hint: to give the agent a task, use \`${bin} run "${opts.id}"\`\n`)
  else process.stderr.write(`hint: \`${bin} help\` lists the commands\n`)
  this.exit(2)
}

export default hook
