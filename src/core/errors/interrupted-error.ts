import {ExitCode, PareError} from './pare-error.js'

/** Ctrl+C or an aborted signal. */
export class InterruptedError extends PareError {
  constructor(message = 'interrupted') {
    super(message, {code: 'interrupted', exitCode: ExitCode.interrupted})
  }
}
