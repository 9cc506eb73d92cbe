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
  /** Where a `git pare work` worker ran it (plan.yaml's `ran`). */
  ran?: {by: string; host: string}
  /** A worker's live claim on it, as last fetched (filled by the log command). */
  claim?: {by: string; host: string; until: string; remote: string}
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
  /** A checkpoint's run: how it ended (`done`, `stopped: …`, `interrupted: …`), when it recorded that. */
  outcome?: string
  /** Why its stored data cannot be read (a broken or hostile plan.yaml / meta.yaml, e.g. pulled); listed anyway. */
  invalid?: string
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

function looseRan(v: unknown): {by: string; host: string} | undefined {
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined
  const ok = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 200
  return o && ok(o.by) && ok(o.host) ? {by: o.by, host: o.host} : undefined
}

// plan.yaml and meta.yaml belong to other layers, and may have been pulled from anyone: read them loosely so a
// shape change never breaks log, and guardedly (size cap, no aliases, bounded nesting) so a hostile one cannot
// either. A broken one is listed with `invalid` (and a marker in its status or title) instead of failing the log.
const MAX_YAML_BYTES = 256 * 1024

type Loose = {value: Record<string, unknown>; invalid?: string}

async function parseLoose(text: string | undefined, kind: 'plan' | 'meta'): Promise<Loose> {
  if (text === undefined) return {value: {}}
  const {parseYamlSafely} = await import('./safe-yaml.js')
  const res = parseYamlSafely(text, MAX_YAML_BYTES)
  if (!res.ok) return {value: {}, invalid: res.reason}
  const v = res.value
  if (!v || typeof v !== 'object' || Array.isArray(v)) return text.trim() ? {value: {}, invalid: 'not a mapping'} : {value: {}}
  const o = v as Record<string, unknown>
  if (kind === 'plan' && (typeof o.task !== 'string' || !Array.isArray(o.steps))) return {value: o, invalid: 'not a plan (task and steps)'}
  return {value: o}
}

/** Blobs under `maxBytes` (by `cat-file --batch-check`, so a huge one is never read); larger or missing ones are null or `too big`. */
async function readSmallBlobs(ctx: StoreContext, specs: string[], maxBytes: number): Promise<(string | 'too big' | undefined)[]> {
  if (!specs.length) return []
  const check = await ctx.run(['cat-file', '--batch-check'], {input: specs.map((s) => s.replace(/\n/g, ' ')).join('\n') + '\n', allowFail: true})
  const sizes = check.stdout.split('\n').slice(0, specs.length).map((l) => {
    const m = /^[0-9a-f]+ blob (\d+)$/.exec(l)
    return m ? Number(m[1]) : -1
  })
  const small = specs.filter((_, i) => sizes[i]! >= 0 && sizes[i]! <= maxBytes)
  const objs = await readObjects(ctx, small)
  let k = 0
  return specs.map((_, i) => {
    if (sizes[i]! < 0) return undefined
    if (sizes[i]! > maxBytes) return 'too big'
    return objs[k++]?.content.toString('utf8')
  })
}

/** Plans, checkpoints and sessions, newest first. */
export async function collectLog(ctx: StoreContext): Promise<LogEntry[]> {
  const [plans, active, checkpoints, sessions] = await Promise.all([listPlans(ctx), activePlan(ctx), listCheckpoints(ctx), listSessions(ctx)])
  const blobs = await readSmallBlobs(ctx, [...plans.map((p) => `${p.commit}:plan.yaml`), ...sessions.map((s) => `${s.commit}:meta.yaml`)], MAX_YAML_BYTES)
  const loose = (b: string | undefined, kind: 'plan' | 'meta'): Promise<Loose> =>
    b === 'too big' ? Promise.resolve({value: {}, invalid: `it is larger than ${MAX_YAML_BYTES / 1024} KB`}) : parseLoose(b, kind)
  const entries: LogEntry[] = []
  for (const [i, p] of plans.entries()) {
    const {value: y, invalid} = await loose(blobs[i], 'plan')
    const steps: LogStep[] = Array.isArray(y.steps)
      ? (y.steps as Record<string, unknown>[]).map((s, j) => ({
          n: j + 1,
          description: String(s?.description ?? s?.title ?? ''),
          status: String(s?.status ?? 'pending'),
          ...(tokenCount(s?.tokens) ? {tokens: tokenCount(s?.tokens)} : {}),
          ...(looseRan(s?.ran) ? {ran: looseRan(s?.ran)} : {}),
        }))
      : []
    const tokens = tokenCount(y.tokens) ?? (steps.reduce((n, s) => n + (s.tokens ?? 0), 0) || undefined)
    const title = typeof y.task === 'string' ? y.task : p.subject
    entries.push({kind: 'plan', id: p.id, time: p.time.toISOString(), title, commit: p.commit, status: invalid ? 'invalid plan.yaml' : String(y.status ?? ''), active: p.id === active, steps: invalid ? [] : steps, ...(tokens && !invalid ? {tokens} : {}), ...(invalid ? {invalid: `plan.yaml: ${invalid}`} : {})})
  }
  for (const c of checkpoints) {
    const tokens = tokenCount(Number(c.meta.tokens))
    entries.push({kind: 'checkpoint', id: String(c.seq), time: c.time.toISOString(), title: c.label, commit: c.commit, meta: c.meta, ...(tokens ? {tokens} : {}), ...(c.after ? {outcome: c.after.outcome} : {})})
  }
  for (const [i, s] of sessions.entries()) {
    const {value: y, invalid} = await loose(blobs[plans.length + i], 'meta')
    const tokens = tokenCount(y.tokens)
    const title = typeof y.title === 'string' ? y.title : typeof y.task === 'string' ? y.task : s.title
    entries.push({kind: 'session', id: s.id, time: s.time.toISOString(), title: invalid ? `${title} (invalid meta.yaml)` : title, commit: s.commit, turns: s.turns, ...(tokens ? {tokens} : {}), ...(invalid ? {invalid: `meta.yaml: ${invalid}`} : {})})
  }
  // Stable: within one second, checkpoints keep their stack order (newest first).
  return entries.map((e, i) => ({e, i})).sort((a, b) => b.e.time.localeCompare(a.e.time) || b.i - a.i).map((x) => x.e)
}
