/**
 * Server-sent events from a response body. Tolerant like the providers need: comment and
 * keep-alive lines are skipped, CR/LF/CRLF all end lines, a last event without its blank line still counts.
 */

export interface SseEvent {
  event?: string
  data: string
}

/** Yield each event of an SSE byte stream. */
export async function* readSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder()
  let buf = ''
  let data: string[] = []
  let event: string | undefined
  const dispatch = (): SseEvent | undefined => {
    if (data.length === 0) {
      event = undefined
      return undefined
    }
    const e = {event, data: data.join('\n')}
    data = []
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
    if (field === 'data') data.push(value)
    else if (field === 'event') event = value
    return undefined
  }
  for await (const bytes of body) {
    buf += decoder.decode(bytes, {stream: true})
    let m: RegExpExecArray | null
    const eol = /\r\n|\r|\n/g
    let start = 0
    while ((m = eol.exec(buf))) {
      // A lone CR at the very end may be the first half of CRLF: wait for more bytes.
      if (m[0] === '\r' && m.index === buf.length - 1) break
      const e = line(buf.slice(start, m.index))
      start = m.index + m[0].length
      if (e) yield e
    }
    buf = buf.slice(start)
  }
  buf += decoder.decode()
  if (buf) {
    const e = line(buf)
    if (e) yield e
  }
  const last = dispatch()
  if (last) yield last
}
