import {describe, expect, it} from 'vitest'
import {readSse} from '../../../src/core/model/sse.js'

async function events(pieces: string[]) {
  async function* body() {
    for (const p of pieces) yield new TextEncoder().encode(p)
  }
  const out = []
  for await (const e of readSse(body())) out.push(e)
  return out
}

describe('readSse', () => {
  it('parses data events across odd read boundaries, skipping comments', async () => {
    const text = ': keep-alive\n\ndata: {"a":1}\n\n:ping\r\ndata:{"b":2}\r\n\r\nevent: error\ndata: {"c":3}\n\ndata: [DONE]\n\n'
    const whole = await events([text])
    expect(whole).toEqual([
      {event: undefined, data: '{"a":1}'},
      {event: undefined, data: '{"b":2}'},
      {event: 'error', data: '{"c":3}'},
      {event: undefined, data: '[DONE]'},
    ])
    expect(await events(text.split(''))).toEqual(whole)
  })

  it('joins multi-line data and keeps a last event without its blank line', async () => {
    expect(await events(['data: a\ndata: b\n\ndata: last'])).toEqual([
      {event: undefined, data: 'a\nb'},
      {event: undefined, data: 'last'},
    ])
  })

  it('decodes UTF-8 split between reads', async () => {
    const bytes = new TextEncoder().encode('data: héllo ✓\n\n')
    async function* body() {
      for (const b of bytes) yield new Uint8Array([b])
    }
    const out = []
    for await (const e of readSse(body())) out.push(e.data)
    expect(out).toEqual(['héllo ✓'])
  })

  it("comments between the data lines of one event stay out of it; llama.cpp's `error:` lines are error events", async () => {
    expect(await events(['data: {"a":\n: ping\ndata: 1}\n\n', 'error: {"code":400,"message":"too long"}\n\n'])).toEqual([
      {event: undefined, data: '{"a":\n1}'},
      {event: 'error', data: '{"code":400,"message":"too long"}'},
    ])
  })
})
