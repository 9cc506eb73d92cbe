import type {ServerResponse} from 'node:http'
import type {Turn} from './scripted-turns.js'

/**
 * A response that never ends, for the byte caps: it keeps writing until the client goes away, waiting for
 * each write to drain, so what it has written is what the client was willing to read (plus socket buffers).
 */

const chunkOf = (n: number): string => 'x'.repeat(n)

/** The endless SSE events (or raw text) of a turn; each call returns the next piece to write. */
function pieces(t: Turn, requestBody: any): () => string {
  const size = t.endlessChunk ?? 64 * 1024
  const base = {id: 'chatcmpl-endless', object: 'chat.completion.chunk', created: 1_700_000_000, model: requestBody?.model ?? 'scripted-model'}
  const event = (delta: object) => `data: ${JSON.stringify({...base, choices: [{index: 0, delta, finish_reason: null}]})}\n\n`
  const text = chunkOf(size)
  switch (t.endless) {
    case 'reasoning':
      return () => event({reasoning_content: text})
    case 'tool_args': {
      let first = true
      return () => {
        const args = first ? `{"path": "big.txt", "content": "${text}` : text
        const e = event({tool_calls: [{index: 0, ...(first ? {id: 'call_endless', type: 'function'} : {}), function: {...(first ? {name: 'write_file'} : {}), arguments: args}}]})
        first = false
        return e
      }
    }
    case 'empty_deltas': {
      const e = event({}).repeat(Math.max(1, Math.floor(size / 200)))
      return () => e
    }
    case 'comments': {
      const c = ': keep-alive\n\n'.repeat(Math.max(1, Math.floor(size / 14)))
      return () => c
    }
    case 'one_line': {
      let first = true
      return () => {
        const p = first ? `data: {"choices":[{"index":0,"delta":{"content":"${text}` : text
        first = false
        return p
      }
    }
    case 'whole_json': {
      let first = true
      return () => {
        const p = first ? `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"${text}` : text
        first = false
        return p
      }
    }
    default:
      return () => event({content: text})
  }
}

/** Write the turn's endless response; resolves when the client has gone. `count` receives each write's bytes. */
export async function streamEndless(res: ServerResponse, t: Turn, requestBody: any, count: (bytes: number) => void): Promise<void> {
  const json = t.endless === 'whole_json'
  res.writeHead(200, {'content-type': json ? 'application/json' : 'text/event-stream', 'cache-control': 'no-cache'})
  res.flushHeaders()
  let closed = false
  const gone = new Promise<void>((resolve) => res.once('close', () => ((closed = true), resolve())))
  const next = pieces(t, requestBody)
  if (!json && t.endless !== 'one_line') {
    const first = `data: ${JSON.stringify({id: 'chatcmpl-endless', object: 'chat.completion.chunk', created: 1_700_000_000, model: requestBody?.model ?? 'scripted-model', choices: [{index: 0, delta: {role: 'assistant', content: ''}, finish_reason: null}]})}\n\n`
    res.write(first)
    count(Buffer.byteLength(first))
  }
  while (!closed && !res.destroyed) {
    const piece = Buffer.from(next())
    count(piece.length)
    const drained = res.write(piece)
    if (!drained) await Promise.race([new Promise<void>((resolve) => res.once('drain', () => resolve())), gone])
  }
}
