import {ExitCode, PareError} from './pare-error.js'

/** An edit or patch could not be applied (used by commands; tools return errors as data). */
export class EditConflictError extends PareError {
  constructor(message: string, hint?: string) {
    super(message, {code: 'edit_conflict', hint, exitCode: ExitCode.editConflict})
  }
}
