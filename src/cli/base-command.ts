import {Command, Flags, Interfaces} from '@oclif/core'
import {ExitCode, isPareError} from '../core/errors/pare-error.js'
import {findRepo, type RepoPaths} from '../core/store/repo.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>

/**
 * Every command: `--json` ({"status":0,"result":…,"warnings":[]}), one-line errors with a hint,
 * and stack traces only under DEBUG=git-pare*.
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

  /** A warning shown on stderr, and carried in --json output. */
  protected note(message: string): void {
    this.warnings.push(message)
    if (!this.jsonEnabled()) process.stderr.write(`warning: ${message}\n`)
  }

  protected toSuccessJson(result: unknown): unknown {
    return {status: 0, result: result ?? null, warnings: this.warnings}
  }

  protected toErrorJson(err: unknown): unknown {
    if (isPareError(err)) return {status: err.exitCode, error: {code: err.code, message: err.message, hint: err.hint ?? null}, warnings: this.warnings}
    const e = err as {message?: string; oclif?: {exit?: number}}
    return {status: e.oclif?.exit ?? ExitCode.failed, error: {code: 'error', message: e.message ?? String(err), hint: null}, warnings: this.warnings}
  }

  protected async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}; code?: string}): Promise<unknown> {
    const debug = /git-pare/.test(process.env.DEBUG ?? '')
    // oclif's own parse errors (unknown flag, missing arg) already read well; keep their exit code 2.
    if (!isPareError(err) && err.oclif) return super.catch(err)
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(err))
    } else {
      const message = isPareError(err) ? err.message : (err.message || String(err))
      process.stderr.write(`error: ${message}\n`)
      if (isPareError(err) && err.hint) process.stderr.write(`hint: ${err.hint}\n`)
      if (debug && err.stack) process.stderr.write(`${err.stack}\n`)
    }
    const code = isPareError(err) ? err.exitCode : err.name === 'AbortError' ? ExitCode.interrupted : ExitCode.failed
    process.exitCode = code
    this.exit(code)
  }
}
