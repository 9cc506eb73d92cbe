import {ResponseTooLargeError} from './map-error.js'

/**
 * Server-sent events from a response body. Tolerant like the providers need: comment and
 * keep-alive lines are skipped, CR/LF/CRLF all end lines, a last event without its blank line still counts.
 * Bounded: a line that never ends, or an event whose data lines never stop, is refused at `maxEventChars`.
 */

export interface SseEvent {
  event?: string
  data: string
}

export interface SseOptions {
  /** Longest pending line, and longest data of one event, in characters (default: unbounded). */
  maxEventChars?: number
}

/** Yield each event of an SSE byte stream. */
export async function* readSse(body: AsyncIterable<Uint8Array>, opts: SseOptions = {}): AsyncGenerator<SseEvent> {
  const max = opts.maxEventChars ?? Infinity
  const decoder = new TextDecoder()
  let buf = ''
  let data: string[] = []
  let dataChars = 0
  let event: string | undefined
  const tooLarge = () => new ResponseTooLargeError(`a stream event over ${max} characters`)
  const dispatch = (): SseEvent | undefined => {
    if (data.length === 0) {
      event = undefined
      return undefined
    }
    const e = {event, data: data.join('\n')}
    data = []
    dataChars = 0
    event = undefined
    return e
  }
  const line = (l: string): SseEvent | undefined => {
    if (l === '') return dispatch()
    if (l.startsWith(':')) return undefined
    const colon = l.indexOf(':')
    const field = colon < 0 ? l : l.slice(0, colon)
    let value = colon < 0 ? '' : l.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    // llama.cpp writes errors as a line of their own, `error: {…}`: an error event, not a field to ignore.
    if (field === 'data' || field === 'error') {
      dataChars += value.length + 1
      if (dataChars > max) throw tooLarge()
      data.push(value)
      if (field === 'error') event = 'error'
    } else if (field === 'event') event = value
    return undefined
  }
  const eol = /\r\n|\r|\n/g
  for await (const bytes of body) {
    // Only the new text is searched for line ends: a long line arriving in many reads costs linear time.
    const scanFrom = Math.max(0, buf.length - 1)
    buf += decoder.decode(bytes, {stream: true})
    let m: RegExpExecArray | null
    let start = 0
    eol.lastIndex = scanFrom
    while ((m = eol.exec(buf))) {
      // A lone CR at the very end may be the first half of CRLF: wait for more bytes.
      if (m[0] === '\r' && m.index === buf.length - 1) break
      const e = line(buf.slice(start, m.index))
      start = m.index + m[0].length
      if (e) yield e
    }
    buf = buf.slice(start)
    if (buf.length > max) throw tooLarge()
  }
  buf += decoder.decode()
  if (buf) {
    const e = line(buf)
    if (e) yield e
  }
  const last = dispatch()
  if (last) yield last
}

const KEEPALIVE_EVENT = /^(ping|pong|keep-?alive|heartbeat)$/i
// What proxies send as data to keep a connection open, or comments they rewrapped into data lines.
const KEEPALIVE_DATA = /^(:.*|\[?(ping|pong|keep-?alive|heartbeat)\]?)$/i

const parses = (s: string): boolean => {
  try {
    JSON.parse(s)
    return true
  } catch {
    return false
  }
}

/**
 * The payloads of one event, as the chat stream means them: keep-alive events, comments and keep-alive words
 * that a proxy wrapped into data lines are dropped (never an end, never part of a chunk), a doubled `data:`
 * prefix is undone, and data lines that are each whole JSON (events run together without a blank line) are split.
 */
export function payloads(ev: SseEvent): string[] {
  if (ev.event && KEEPALIVE_EVENT.test(ev.event.trim())) return []
  const lines = ev.data
    .split('\n')
    .map((l) => l.trim().replace(/^data:\s?/, '').trim())
    .filter((l) => l !== '' && !KEEPALIVE_DATA.test(l))
  if (lines.length <= 1) return lines
  const joined = lines.join('\n')
  if (parses(joined)) return [joined]
  return lines.every((l) => l === '[DONE]' || parses(l)) ? lines : [joined]
}
