import {ExitCode, PareError} from './pare-error.js'

/** Invalid configuration: bad YAML, unknown key, unknown profile. */
export class ConfigError extends PareError {
  constructor(message: string, hint?: string, code = 'config') {
    super(message, {code, hint, exitCode: ExitCode.usage})
  }
}
