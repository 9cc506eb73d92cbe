import {ExitCode, PareError} from './pare-error.js'

/** The model provider failed: connection, auth, unknown model, bad stream. */
export class ModelError extends PareError {
  readonly status?: number
  constructor(message: string, opts: {hint?: string; code?: string; status?: number; cause?: unknown} = {}) {
    super(message, {code: opts.code ?? 'model', hint: opts.hint, exitCode: ExitCode.model, cause: opts.cause})
    this.status = opts.status
  }
}

/** The request did not fit the model's context window; the context budget reacts to this one. */
export class ContextLengthError extends ModelError {
  constructor(message: string, cause?: unknown) {
    super(message, {code: 'context_length', hint: 'the request was larger than the model context window', status: 400, cause})
  }
}
