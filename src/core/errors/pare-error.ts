/** Exit codes shared by every command (see design.md). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  repoState: 3,
  model: 4,
  editConflict: 5,
  /** The run stopped before it was done: tool budget, loop guard, cost cap. */
  stopped: 6,
  interrupted: 130,
} as const

/** An error the user can cause: one-line message, a hint, a stable code and an exit code. */
export class PareError extends Error {
  readonly code: string
  readonly hint?: string
  readonly exitCode: number

  constructor(message: string, opts: {code: string; hint?: string; exitCode?: number; cause?: unknown}) {
    super(message, opts.cause === undefined ? undefined : {cause: opts.cause})
    this.name = new.target.name
    this.code = opts.code
    this.hint = opts.hint
    this.exitCode = opts.exitCode ?? ExitCode.failed
  }
}

/** True for errors that carry a user-facing message (ours). */
export function isPareError(err: unknown): err is PareError {
  return err instanceof PareError
}
