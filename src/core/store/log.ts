import type {StoreContext} from './context.js'
import {listCheckpoints} from './checkpoints.js'
import {readObjects} from './objects.js'
import {activePlan, listPlans} from './plans.js'
import {listSessions} from './sessions.js'

export interface LogStep {
  n: number
  description: string
  status: string
  tokens?: number
}

/** One line of `git pare log`: a plan (with its steps), a checkpoint or a session. */
export interface LogEntry {
  kind: 'plan' | 'checkpoint' | 'session'
  id: string
  time: string
  title: string
  commit: string
  status?: string
  active?: boolean
  steps?: LogStep[]
  turns?: number
  tokens?: number
  meta?: Record<string, string>
}

function tokenCount(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    const n = (Number(o.input) || 0) + (Number(o.output) || 0) || Number(o.total) || 0
    return n || undefined
  }
  return undefined
}

// plan.yaml and meta.yaml belong to other layers; read them loosely so a shape change never breaks log.
async function parseLoose(text: string | undefined): Promise<Record<string, unknown>> {
  if (!text) return {}
  try {
    const {parse} = await import('yaml')
    const v = parse(text) as unknown
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** Plans, checkpoints and sessions, newest first. */
export async function collectLog(ctx: StoreContext): Promise<LogEntry[]> {
  const [plans, active, checkpoints, sessions] = await Promise.all([listPlans(ctx), activePlan(ctx), listCheckpoints(ctx), listSessions(ctx)])
  const blobs = await readObjects(ctx, [...plans.map((p) => `${p.commit}:plan.yaml`), ...sessions.map((s) => `${s.commit}:meta.yaml`)])
  const entries: LogEntry[] = []
  for (const [i, p] of plans.entries()) {
    const y = await parseLoose(blobs[i]?.content.toString('utf8'))
    const steps: LogStep[] = Array.isArray(y.steps)
      ? (y.steps as Record<string, unknown>[]).map((s, j) => ({
          n: j + 1,
          description: String(s?.description ?? s?.title ?? ''),
          status: String(s?.status ?? 'pending'),
          ...(tokenCount(s?.tokens) ? {tokens: tokenCount(s?.tokens)} : {}),
        }))
      : []
    const tokens = tokenCount(y.tokens) ?? (steps.reduce((n, s) => n + (s.tokens ?? 0), 0) || undefined)
    entries.push({kind: 'plan', id: p.id, time: p.time.toISOString(), title: String(y.task ?? p.subject), commit: p.commit, status: String(y.status ?? ''), active: p.id === active, steps, ...(tokens ? {tokens} : {})})
  }
  for (const c of checkpoints) {
    const tokens = tokenCount(Number(c.meta.tokens))
    entries.push({kind: 'checkpoint', id: String(c.seq), time: c.time.toISOString(), title: c.label, commit: c.commit, meta: c.meta, ...(tokens ? {tokens} : {})})
  }
  for (const [i, s] of sessions.entries()) {
    const y = await parseLoose(blobs[plans.length + i]?.content.toString('utf8'))
    const tokens = tokenCount(y.tokens)
    entries.push({kind: 'session', id: s.id, time: s.time.toISOString(), title: String(y.title ?? y.task ?? s.title), commit: s.commit, turns: s.turns, ...(tokens ? {tokens} : {})})
  }
  // Stable: within one second, checkpoints keep their stack order (newest first).
  return entries.map((e, i) => ({e, i})).sort((a, b) => b.e.time.localeCompare(a.e.time) || b.i - a.i).map((x) => x.e)
}
