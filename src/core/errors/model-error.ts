import {ExitCode, PareError} from './pare-error.js'

/** The model provider failed: connection, auth, unknown model, bad stream. */
export class ModelError extends PareError {
  readonly status?: number
  constructor(message: string, opts: {hint?: string; code?: string; status?: number; cause?: unknown} = {}) {
    super(message, {code: opts.code ?? 'model', hint: opts.hint, exitCode: ExitCode.model, cause: opts.cause})
    this.status = opts.status
  }
}

/** What is known of an overflow: the window (server-reported when it said), and the prompt by the server's and by our count. */
export interface ContextInfo {
  /** The window as the server said (or showed, by truncating). */
  window?: number
  /** The window the client worked with (the profile's, or narrowed). */
  assumedWindow?: number
  serverPrompt?: number
  sentPrompt?: number
  /** The server answered but silently dropped part of the prompt (Ollama). */
  truncated?: boolean
  hint?: string
}

/** The request did not fit the model's context window; the context budget reacts to this one. */
export class ContextLengthError extends ModelError {
  readonly info: ContextInfo
  constructor(message: string, cause?: unknown, info: ContextInfo = {}) {
    super(message, {code: 'context_length', hint: info.hint ?? 'the request was larger than the model context window', status: 400, cause})
    this.info = info
  }
}
