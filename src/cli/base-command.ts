import {format, inspect} from 'node:util'
import {Command, Flags, Interfaces} from '@oclif/core'
import {ExitCode, isPareError} from '../core/errors/pare-error.js'
import {findRepo, type RepoPaths} from '../core/store/repo.js'
import {neutralise} from '../core/text/terminal.js'
import {usageFromParseError} from './parse-error.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>

/**
 * Every command: `--json` ({"status":0,"result":…,"warnings":[]}), one-line errors with a hint,
 * and stack traces only under DEBUG=git-pare*.
 *
 * Every line a command prints goes through `log`/`logToStderr`/`note`/`catch` here, and each of them neutralises
 * it: answers, subjects, diffs and remote messages are foreign text, and no command prints ANSI of its own through
 * these (listr2 and dimmed reasoning write to the stream directly). `--json` is left exact: JSON escapes controls.
 */
export abstract class BaseCommand extends Command {
  static enableJsonFlag = true

  static baseFlags = {
    verbose: Flags.boolean({char: 'v', description: 'show more detail (model reasoning, raw events)', helpGroup: 'GLOBAL'}),
  }

  protected warnings: string[] = []

  /** Locate the repository or fail with one line (exit 3). */
  protected async repo(): Promise<RepoPaths> {
    return findRepo(process.cwd())
  }

  /** Plain output is wanted when piped, with NO_COLOR, or with --json. */
  protected get plain(): boolean {
    return !process.stdout.isTTY || Boolean(process.env.NO_COLOR) || this.jsonEnabled()
  }

  /** Print to stdout with escape and control sequences neutralised (the message is never a format string). */
  log(message: unknown = '', ...args: unknown[]): void {
    super.log('%s', neutralise(printable(message, args)))
  }

  /** Print to stderr, neutralised like `log`. */
  logToStderr(message: unknown = '', ...args: unknown[]): void {
    super.logToStderr('%s', neutralise(printable(message, args)))
  }

  /** A warning shown on stderr, and carried in --json output. */
  protected note(message: string): void {
    this.warnings.push(message)
    if (!this.jsonEnabled()) process.stderr.write(`warning: ${neutralise(message)}\n`)
  }

  /** The envelope's status is the exit code the process ends with (a push with rejected refs: 1, with its result). */
  protected toSuccessJson(result: unknown): unknown {
    return {status: Number(process.exitCode ?? 0) || 0, result: result ?? null, warnings: this.warnings}
  }

  protected toErrorJson(err: unknown): unknown {
    if (isPareError(err)) return {status: err.exitCode, error: {code: err.code, message: err.message, hint: err.hint ?? null}, warnings: this.warnings}
    const e = err as {message?: string; oclif?: {exit?: number}}
    return {status: e.oclif?.exit ?? ExitCode.failed, error: {code: 'error', message: e.message ?? String(err), hint: null}, warnings: this.warnings}
  }

  protected async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}; code?: string}): Promise<unknown> {
    const debug = /git-pare/.test(process.env.DEBUG ?? '')
    // this.exit(): not an error.
    if (err.code === 'EEXIT') return super.catch(err)
    // oclif's parse errors (unknown flag, bad integer, missing argument): one line and a hint, exit 2, like ours.
    if (!isPareError(err) && err.oclif) err = usageFromParseError(err, {id: (this.id ?? '').replaceAll(':', ' '), flags: Object.keys(this.ctor.flags ?? {})})
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(err))
    } else {
      const message = isPareError(err) ? err.message : (err.message || String(err))
      // Messages embed server replies, ref names and file names: neutralised like everything else printed.
      process.stderr.write(`error: ${neutralise(message)}\n`)
      if (isPareError(err) && err.hint) process.stderr.write(`hint: ${neutralise(err.hint)}\n`)
      if (debug && err.stack) process.stderr.write(`${neutralise(err.stack)}\n`)
    }
    const code = isPareError(err) ? err.exitCode : err.name === 'AbortError' ? ExitCode.interrupted : ExitCode.failed
    process.exitCode = code
    this.exit(code)
  }
}

/** What oclif's log would print: a string as is (formatted only when arguments are given), anything else inspected. */
function printable(message: unknown, args: unknown[]): string {
  const text = typeof message === 'string' ? message : inspect(message)
  return args.length ? format(text, ...args) : text
}
