import type {LogEntry} from '../../store/log.js'
import type {Envelope} from './cli-call.js'

// There is no `git pare status` command: the `status` tool is a digest of `git pare log --json` (which lists plans,
// checkpoints and sessions newest first), so it reads exactly what log reads and needs no store access of its own.

export interface StatusResult {
  /** The active plan, with its next step that is not done. */
  plan: {id: string; title: string; status: string | null; steps_done: number; steps: number; next_step: {n: number; description: string; status: string} | null} | null
  /** The newest checkpoint log lists (normally the one `undo` goes back to). */
  checkpoint: {id: string; title: string; time: string; outcome: string | null} | null
  checkpoints: number
  /** The newest session. */
  session: {id: string; title: string; turns: number; time: string} | null
}

/** The status envelope made from log's: same status and warnings, or log's error as it is. */
export function statusFromLog(log: Envelope): Envelope {
  if (log.error) return log
  const entries = ((log.result as {entries?: LogEntry[]} | undefined)?.entries ?? []) as LogEntry[]
  const plan = entries.find((e) => e.kind === 'plan' && e.active)
  const checkpoints = entries.filter((e) => e.kind === 'checkpoint')
  const cp = checkpoints[0]
  const session = entries.find((e) => e.kind === 'session')
  const steps = plan?.steps ?? []
  const next = steps.find((s) => s.status !== 'done')
  const result: StatusResult = {
    plan: plan
      ? {id: plan.id, title: plan.title, status: plan.status ?? null, steps_done: steps.filter((s) => s.status === 'done').length, steps: steps.length, next_step: next ? {n: next.n, description: next.description, status: next.status} : null}
      : null,
    checkpoint: cp ? {id: cp.id, title: cp.title, time: cp.time, outcome: cp.outcome ?? null} : null,
    checkpoints: checkpoints.length,
    session: session ? {id: session.id, title: session.title, turns: session.turns ?? 0, time: session.time} : null,
  }
  return {status: log.status, result, warnings: log.warnings}
}
