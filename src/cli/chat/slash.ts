import {ExitCode} from '../../core/errors/pare-error.js'
import {UsageError} from '../../core/errors/usage-error.js'
import {neutralise, neutraliseLine} from '../../core/text/terminal.js'
import {suggestSlash, type ChatInput} from '../../core/chat/slash.js'
import {costText} from '../../core/chat/status.js'
import type {ChatState} from './app.js'
import {plural} from '../../core/text/plural.js'

interface SlashCommand {
  /** The CLI command it runs in-process (same text, same store), with the arguments to put first. */
  cli?: string
  args?: string
  help: string
  run?: (state: ChatState, args: string[]) => Promise<void | 'exit'>
}

const COMMANDS: Record<string, SlashCommand> = {
  undo: {cli: 'undo', args: '[n]', help: 'take back the last turn (or checkpoint n): git pare undo'},
  redo: {cli: 'redo', help: 'apply again what undo took back'},
  diff: {cli: 'diff', args: '[checkpoint]', help: 'what the work tree changed since a checkpoint'},
  log: {cli: 'log', help: 'the checkpoints, newest first'},
  status: {help: 'this chat: session, model, tokens, and the work tree', run: status},
  plan: {cli: 'plan', args: '"task"', help: 'ask the planner for a plan (then /approve and /step)'},
  step: {cli: 'step', args: '[n]', help: 'run the next approved step of the plan'},
  approve: {cli: 'plan:approve', args: '[n | --all]', help: 'approve a step of the plan'},
  model: {args: '[name]', help: 'show the model, or switch to another for the next turns', run: switchModel},
  profile: {args: '[name]', help: 'show the profile, or switch to another for the next turns', run: switchProfile},
  cost: {help: 'tokens (and USD, with prices) this session', run: async (s) => void s.out.write(`${costText(s.tally, s.turns)}\n`)},
  clear: {help: 'a fresh context in the same session (the earlier turns stay in its history)', run: async (s) => editNext(s, 'clear')},
  compact: {help: 'the next turns see the earlier ones one line each (no model call)', run: async (s) => editNext(s, 'compact')},
  init: {cli: 'init', help: 'write .parecode/conventions.md and the hooks (no model call)'},
  hooks: {cli: 'hooks', help: 'the hooks run at agent events'},
  help: {help: 'this list', run: async (s) => void s.out.write(helpText())},
  exit: {help: 'leave (Ctrl+D does too)', run: async () => 'exit'},
}

/** Names for tab completion and "did you mean". */
export const SLASH_NAMES: readonly string[] = [...Object.keys(COMMANDS), 'quit'].sort()

function helpText(): string {
  const rows = Object.entries(COMMANDS).map(([n, c]) => `  /${`${n}${c.args ? ` ${c.args}` : ''}`.padEnd(22)} ${c.help}`)
  return [
    'Type a task to run a turn (each turn is a checkpoint and a session commit). Commands:',
    ...rows,
    'Keys: Tab completes commands and @paths · @path attaches a file · a trailing \\ continues the line',
    '      Up/Down history · Ctrl+C cancels a turn (twice at an empty prompt leaves) · Ctrl+D leaves',
    '',
  ].join('\n')
}

/** Run one slash command; an unknown or failing one prints its error and the chat goes on. */
export async function dispatchSlash(state: ChatState, input: Extract<ChatInput, {kind: 'slash'}>): Promise<void | 'exit'> {
  const name = input.name === 'quit' ? 'exit' : input.name
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!cmd) {
    const near = suggestSlash(name, SLASH_NAMES)
    state.status = state.fail(new UsageError(`unknown command /${neutraliseLine(name)}${near ? ` (did you mean /${near}?)` : ''}`, 'type /help for the list', 'unknown_command'))
    return
  }
  try {
    if (cmd.run) return await cmd.run(state, input.args)
    await runCli(state, cmd.cli!, input.args)
  } catch (err) {
    state.status = state.fail(err)
  } finally {
    // A Ctrl+C during the command reached the process: the agent session's signal is spent.
    if (state.agent?.signal.aborted) await state.reset()
  }
}

/**
 * The real CLI command, in this process: it prints exactly what `git pare <id>` prints and acts on the same store.
 * Its errors were printed by the command itself (one line and a hint, through this.exit()); the exit code it set is
 * the chat's status, and process.exitCode is left as it was.
 */
async function runCli(state: ChatState, id: string, argv: string[]): Promise<void> {
  const saved = process.exitCode
  let code = 0
  try {
    // Under --json the command prints its own envelope.
    await state.host.runCommand(id, state.opts.json ? [...argv, '--json'] : argv)
    if (state.opts.json) state.jsonLines++
    code = Number(process.exitCode ?? 0) || 0
  } catch (err) {
    const e = err as {code?: string; oclif?: {exit?: number}}
    if (e.oclif?.exit !== undefined) code = e.oclif.exit
    else code = state.fail(err)
  } finally {
    process.exitCode = saved
  }
  if (code !== ExitCode.ok) state.status = code
}

async function status(state: ChatState): Promise<void> {
  const lines: string[] = []
  const session = state.sessionId === 'latest' ? 'the latest (from --continue; known after the first turn)' : (state.sessionId ?? 'none yet (the first turn starts one)')
  lines.push(`session: ${neutraliseLine(session)} · ${plural(state.turns, 'turn')} in this chat`)
  const a = state.agent
  if (a) lines.push(`profile: ${neutraliseLine(a.runtime.profile.name)} · model: ${neutraliseLine(a.runtime.profile.model ?? '(none)')}`)
  else lines.push(`profile: ${neutraliseLine(state.opts.profile ?? '(default)')} · model: ${neutraliseLine(state.opts.model ?? '(from the profile)')}`)
  lines.push(costText(state.tally, state.turns))
  const {git} = await import('../../core/store/git.js')
  const st = await git(['status', '--short'], {cwd: state.repo.root, allowFail: true})
  lines.push(st.stdout.trim() ? `work tree:\n${st.stdout.replace(/\n$/, '')}` : 'work tree: clean')
  state.out.write(`${neutralise(lines.join('\n'))}\n`)
}

async function switchTo(state: ChatState, change: {model?: string; profile?: string}): Promise<void> {
  const next = {...state.opts, ...change}
  if (change.profile !== undefined && state.opts.model === undefined) next.model = undefined
  const prev = state.opts
  state.opts = next
  try {
    // Open it now, so a bad name fails here and the chat keeps what it had.
    await state.reset()
    const a = await state.open()
    state.err.write(`now using profile ${neutraliseLine(a.runtime.profile.name)}, model ${neutraliseLine(a.runtime.profile.model ?? '(none)')} for the next turns\n`)
  } catch (err) {
    state.opts = prev
    await state.reset()
    throw err
  }
}

async function switchModel(state: ChatState, args: string[]): Promise<void> {
  if (args.length > 1) throw new UsageError('/model takes one name', 'e.g. /model qwen2.5-coder:7b')
  if (!args[0]) {
    const a = await state.open()
    return void state.out.write(`${neutraliseLine(a.runtime.profile.model ?? '(none)')}\n`)
  }
  await switchTo(state, {model: args[0]})
}

async function switchProfile(state: ChatState, args: string[]): Promise<void> {
  if (args.length > 1) throw new UsageError('/profile takes one name', 'e.g. /profile local')
  if (!args[0]) {
    const a = await state.open()
    return void state.out.write(`${neutraliseLine(a.runtime.profile.name)}\n`)
  }
  await switchTo(state, {profile: args[0]})
}


async function editNext(state: ChatState, edit: 'clear' | 'compact'): Promise<void> {
  if (!state.sessionId) return void state.err.write(`nothing to ${edit} yet: the session has no turns\n`)
  state.contextEdit = edit
  state.err.write(edit === 'clear' ? 'the next turn starts with a fresh context, in the same session\n' : 'the next turn sees the earlier turns one line each\n')
}
