import {InterruptedError} from '../errors/index.js'
import {timerMs} from '../text/limits.js'

/** Backoff for retried requests: exponential with jitter, Retry-After honoured, every wait abortable. */

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

/** Real sleep that ends early (rejecting) when the signal aborts. */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError())
    const onAbort = () => {
      clearTimeout(timer)
      reject(new InterruptedError())
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, timerMs(ms))
    signal?.addEventListener('abort', onAbort, {once: true})
  })

/** Sleep with any injected sleeper, but always give up at once when the signal aborts. */
export async function sleepAbortable(sleep: Sleep, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw new InterruptedError()
  if (!signal) return sleep(ms)
  let onAbort = () => {}
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new InterruptedError())
    signal.addEventListener('abort', onAbort, {once: true})
  })
  try {
    await Promise.race([sleep(ms, signal), aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/** Milliseconds the server asked us to wait (`retry-after-ms`, `retry-after` in seconds or as an HTTP date), if any. */
export function retryAfterMs(headers: {get(name: string): string | null} | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined
  const ms = Number(headers.get('retry-after-ms'))
  if (headers.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Delay before retry number `retry` (1 = first retry): base·2^(retry-1), capped, with jitter in [50%, 100%]. */
export function backoffMs(retry: number, random: () => number, baseMs = 500, maxMs = 8_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1))
  return Math.round(ceiling * (0.5 + 0.5 * random()))
}

const UNIT_MS: Record<string, number> = {ms: 1, millisecond: 1, milliseconds: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000, m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000, h: 3_600_000, hour: 3_600_000, hours: 3_600_000}

/** A wait named in a rate-limit message ("Please try again in 20s", "retry in 1m30.5s", "try again in 250ms"). */
export function retryAfterInMessage(message: string): number | undefined {
  const m = /(?:try again|retry)(?: after| in)?\s+((?:\d+(?:\.\d+)?\s*(?:milliseconds?|ms|minutes?|mins?|m|seconds?|secs?|s|hours?|h)(?![a-z])\s*)+)/i.exec(message)
  if (!m) return undefined
  let total = 0
  for (const part of m[1]!.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) total += Number(part[1]) * (UNIT_MS[part[2]!.toLowerCase()] ?? 0)
  return Number.isFinite(total) && total > 0 ? Math.round(total) : undefined
}
