import {ExitCode, PareError} from './pare-error.js'

/** The repository is not in a state we can work in (not a repo, merge in progress, lock held, ...). */
export class RepoStateError extends PareError {
  constructor(message: string, hint?: string, code = 'repo_state') {
    super(message, {code, hint, exitCode: ExitCode.repoState})
  }
}

/** Raised when a command that needs a repository runs outside one. */
export class NotARepoError extends RepoStateError {
  constructor(cwd: string) {
    super(`not a git repository: ${cwd}`, 'run this inside a git repository, or create one with `git init`', 'not_a_repo')
  }
}
