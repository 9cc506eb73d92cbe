import {parseArgs} from 'node:util'
import {fileURLToPath} from 'node:url'
import {ExitCode, isPareError} from '../../core/errors/pare-error.js'
import {neutralise} from '../../core/text/terminal.js'
import type {ChatOptions} from './app.js'

/**
 * `git pare chat` on a terminal without loading oclif first (bin/run.js calls this): the prompt is up in about the
 * time of `git pare --version`, and oclif loads only when a slash command runs a CLI command. Anything this does
 * not handle the same as the oclif command (--help, a bad flag, --json, no terminal) returns false, and oclif runs
 * `chat` as usual with its own messages.
 */
export async function fastChat(argv: string[]): Promise<boolean> {
  const opts = parseChatArgs(argv)
  if (!opts || !process.stdin.isTTY || !process.stdout.isTTY) return false
  const root = fileURLToPath(new URL('../../../', import.meta.url))
  let config: Promise<{runCommand(id: string, argv: string[]): Promise<unknown>}> | undefined
  const host = {
    async runCommand(id: string, args: string[]) {
      config ??= import('@oclif/core').then(({Config}) => Config.load(root))
      return (await config).runCommand(id, args)
    },
  }
  try {
    // Nothing configured: offer setup now, before the prompt owns the terminal (as the oclif command does).
    await (await import('../setup-flow.js')).offerSetupBeforeChat(opts)
    const {runChat} = await import('./app.js')
    process.exitCode = (await runChat(opts, host)).code
  } catch (err) {
    const e = err as {message?: string}
    process.stderr.write(`error: ${neutralise(isPareError(err) ? err.message : (e.message ?? String(err)))}\n`)
    if (isPareError(err) && err.hint) process.stderr.write(`hint: ${neutralise(err.hint)}\n`)
    process.exitCode = isPareError(err) ? err.exitCode : ExitCode.failed
  }
  return true
}

/** The chat command's flags, exactly as the oclif command takes them; undefined for anything else. */
export function parseChatArgs(argv: string[]): ChatOptions | undefined {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        continue: {type: 'boolean', short: 'c'},
        session: {type: 'string'},
        verbose: {type: 'boolean', short: 'v'},
        profile: {type: 'string'},
        model: {type: 'string'},
        'base-url': {type: 'string'},
        approval: {type: 'string'},
        'max-tool-calls': {type: 'string'},
        'no-hooks': {type: 'boolean'},
      },
    })
  } catch {
    return undefined
  }
  const v = parsed.values
  const task = parsed.positionals[0]
  if (parsed.positionals.length > 1 || (task !== undefined && !task.trim())) return undefined
  if (v.continue && v.session !== undefined) return undefined
  if (v.approval !== undefined && !['auto', 'ask', 'never'].includes(v.approval)) return undefined
  let max: number | undefined
  if (v['max-tool-calls'] !== undefined) {
    if (!/^\d+$/.test(v['max-tool-calls'])) return undefined
    max = Number(v['max-tool-calls'])
    if (max < 1 || max > 500) return undefined
  }
  for (const k of ['session', 'profile', 'model', 'base-url'] as const) if (v[k] !== undefined && (v[k] === '' || v[k].startsWith('-'))) return undefined
  return {
    task,
    continue: v.continue,
    session: v.session,
    verbose: v.verbose,
    profile: v.profile,
    model: v.model,
    'base-url': v['base-url'],
    approval: v.approval,
    'max-tool-calls': max,
    'no-hooks': v['no-hooks'],
  }
}
