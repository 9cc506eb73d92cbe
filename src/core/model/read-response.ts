import {formatBytes} from '../text/limits.js'
import type {StreamAssembler} from './assemble.js'
import {BadChunkError, ResponseTooLargeError, StreamErrorObject} from './map-error.js'
import {payloads, readSse} from './sse.js'

/**
 * Reads one chat response into the assembler: an SSE stream (keep-alives skipped, error objects in any shape
 * raised) or a whole JSON completion (asked for, or a server that ignored stream: true), under the byte caps.
 */

/** The body's chunks, counted: past `max` bytes it throws before the chunk is passed on. */
async function* capped(body: AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  let n = 0
  for await (const bytes of body) {
    n += bytes.byteLength
    if (n > max) throw new ResponseTooLargeError(`more than ${formatBytes(max)}`)
    yield bytes
  }
}

/** A whole (non-streamed) body as text, refused past `max` bytes. */
async function readCapped(body: AsyncIterable<Uint8Array> | null, max: number): Promise<string> {
  if (!body) return ''
  const decoder = new TextDecoder()
  let text = ''
  for await (const bytes of capped(body, max)) text += decoder.decode(bytes, {stream: true})
  return text + decoder.decode()
}

/** Feed `response` to `asm`; throws StreamErrorObject, BadChunkError or ResponseTooLargeError. */
export async function readResponse(response: Response, asm: StreamAssembler, o: {streaming: boolean; limits: {responseWireBytes: number; sseEventBytes: number}}): Promise<void> {
  const {streaming, limits} = o
  const wire = (response.body ?? null) as AsyncIterable<Uint8Array> | null
  const json = (response.headers.get('content-type') ?? '').includes('application/json')
  if (streaming && !json) {
    stream: for await (const ev of readSse(capped(wire ?? (async function* () {})(), limits.responseWireBytes), {maxEventChars: limits.sseEventBytes})) {
      for (const data of payloads(ev)) {
        if (data === '[DONE]') {
          asm.sawDone = true
          break stream
        }
        let chunk: any
        try {
          chunk = JSON.parse(data)
        } catch {
          if (ev.event === 'error') throw new StreamErrorObject(data)
          throw new BadChunkError(data)
        }
        // An error object in the stream: `{error: {…}}`, or vLLM's top-level `{object: 'error', message, …}`.
        if (ev.event === 'error' || (chunk && (chunk.error || chunk.object === 'error'))) throw new StreamErrorObject(chunk?.error ?? chunk)
        asm.push(chunk)
      }
    }
  } else {
    // A whole completion: asked for, or a server that ignored stream: true.
    const text = await readCapped(wire, limits.sseEventBytes)
    let whole: any
    try {
      whole = JSON.parse(text)
    } catch {
      throw new BadChunkError(text)
    }
    if (whole?.error || whole?.object === 'error') throw new StreamErrorObject(whole.error ?? whole)
    asm.push(whole)
    asm.sawDone = true
  }
}
