import {ExitCode, PareError} from './pare-error.js'

/** Bad flags, arguments or input files. */
export class UsageError extends PareError {
  constructor(message: string, hint?: string, code = 'usage') {
    super(message, {code, hint, exitCode: ExitCode.usage})
  }
}
