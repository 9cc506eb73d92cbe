import {appendFile, mkdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import type {TelemetryRecord} from './record.js'

/**
 * Where a repository's telemetry lives: inside the git dir, so it is never committed. The common
 * dir is used so linked worktrees of one repository share their figures.
 */
export function telemetryFile(repo: {commonDir: string}): string {
  return path.join(repo.commonDir, 'parecode', 'telemetry.jsonl')
}

/** Append one record as a JSON line (a single small append, so concurrent runs do not interleave). */
export async function appendTelemetry(file: string, rec: TelemetryRecord): Promise<void> {
  await mkdir(path.dirname(file), {recursive: true})
  await appendFile(file, `${JSON.stringify(rec)}\n`, 'utf8')
}

/** All records in file order; lines that are not records are counted, not fatal. A missing file is no records. */
export async function readTelemetry(file: string): Promise<{records: TelemetryRecord[]; malformed: number}> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {records: [], malformed: 0}
    throw err
  }
  const records: TelemetryRecord[] = []
  let malformed = 0
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    const rec = parseRecord(line)
    if (rec) records.push(rec)
    else malformed++
  }
  return {records, malformed}
}

const NUMBERS = ['tokens_in', 'tokens_out', 'requests', 'tool_calls', 'tool_errors', 'largest_request', 'compression_ratio', 'peak_context_pct', 'budget_passes', 'duration_ms'] as const

// Older or hand-edited lines may miss fields: numbers default to 0, but a line without token figures is not a record.
function parseRecord(line: string): TelemetryRecord | undefined {
  let v: Record<string, unknown>
  try {
    v = JSON.parse(line) as Record<string, unknown>
  } catch {
    return undefined
  }
  if (!v || typeof v !== 'object' || Array.isArray(v) || typeof v.tokens_in !== 'number') return undefined
  const rec = {...v} as Record<string, unknown>
  for (const k of NUMBERS) if (typeof rec[k] !== 'number' || !Number.isFinite(rec[k])) rec[k] = 0
  for (const k of ['ts', 'model', 'profile', 'outcome'] as const) if (typeof rec[k] !== 'string') rec[k] = k === 'outcome' ? 'unknown' : ''
  if (typeof rec.kind !== 'string') rec.kind = 'run'
  // Fields added later (cost, command) are optional: a wrong type drops the field, not the record.
  for (const k of ['cost_usd', 'tokens_cached'] as const) if (k in rec && (typeof rec[k] !== 'number' || !Number.isFinite(rec[k]))) delete rec[k]
  if ('command' in rec && typeof rec.command !== 'string') delete rec.command
  if (!isObject(rec.edit)) rec.edit = {}
  if (!isObject(rec.edit_levels)) rec.edit_levels = {}
  return rec as unknown as TelemetryRecord
}

function isObject(v: unknown): v is Record<string, unknown> {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v)
}
