import type {RunProjectResult} from '../core/agent/run-project.js'
import type {RunCommit} from '../core/git-commit/commit-run.js'
import {isPareError, PareError} from '../core/errors/pare-error.js'
import type {Store} from '../core/store/store.js'
import type {Sweep} from '../core/sweep/sweep.js'
import {staleLines} from '../core/sweep/stale-references.js'

/**
 * `run --commit` after the run: commit its change when it finished cleanly (a note says why not otherwise). A refusal
 * (staged changes on the same files, a change that does not apply) is rethrown saying where the change still is.
 */
export async function commitAfterRun(
  committer: typeof import('../core/git-commit/commit-run.js'),
  store: Store,
  res: RunProjectResult,
  task: string,
  ok: boolean,
  note: (m: string) => void,
): Promise<RunCommit | null> {
  if (!ok) {
    note(`not committed: the run did not finish cleanly (${res.stop === 'done' ? 'an on_task_done hook failed' : `stopped: ${res.stop}`})`)
    return null
  }
  try {
    const made = await committer.commitRun(store, {task, session: res.session.id, checkpoint: res.checkpoint.commit})
    if (!made) note('not committed: the run changed no files')
    return made
  } catch (err) {
    if (!isPareError(err)) throw err
    const where = `the change stays in the work tree (git pare show ${res.checkpoint.seq})`
    throw new PareError(err.message, {code: err.code, hint: err.hint ? `${err.hint}; ${where}` : where, exitCode: err.exitCode})
  }
}

/** Lines after a run's summary: references the sweep found, and the commit `--commit` made. */
export function gitRowLines(sweep: Sweep | undefined, commit: RunCommit | null): string[] {
  const lines = sweep ? staleLines(sweep.references) : []
  if (commit) lines.push(`committed ${commit.commit.slice(0, 7)} on ${commit.branch}: ${commit.subject} (${commit.files.length} file${commit.files.length === 1 ? '' : 's'})`)
  return lines
}
