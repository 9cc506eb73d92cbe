import {afterEach, expect, it} from 'vitest'
import type {Turn} from '../../support/model-server.js'
import {harness, TOOLS, user, type Harness} from './helpers.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** Small deterministic PRNG so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

it('random mixes of quirks always assemble to what the model meant', async () => {
  const r = rng(Number(process.env.PARE_FUZZ_SEED ?? 20260101))
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
  const words = ['alpha', 'β-test', 'a < b', '{json}', 'naïve ✓', '"quoted"', 'line\nbreak', 'x']
  const text = () => Array.from({length: 1 + Math.floor(r() * 6)}, () => pick(words)).join(' ')
  const turns: Turn[] = []
  for (let i = 0; i < 60; i++) {
    const n = Math.floor(r() * 4)
    const toolCalls = Array.from({length: n}, () =>
      pick([
        {name: 'read_file', args: {path: text(), line_range: '1-9'}},
        {name: 'list_files', args: {path: text()}},
        {name: 'list_files', args: {}},
      ]),
    )
    const ids = pick(['first', 'every', 'changing', 'none'] as const)
    const indexes = pick(['every', 'first', 'none'] as const)
    // Interleaving needs something to tell the calls apart on every fragment.
    const interleave = (indexes === 'every' || ids === 'every') && r() < 0.5
    turns.push({
      content: r() < 0.6 ? text() : undefined,
      reasoning: r() < 0.4 ? text() : undefined,
      reasoningAs: pick(['reasoning_content', 'reasoning', 'think'] as const),
      toolCalls,
      toolCallsAs: n && r() < 0.3 ? pick(['tool_call_tags', 'fenced_json', 'qwen_xml', 'qwen_xml_bare', 'function_json', 'mistral', 'mistral_args'] as const) : undefined,
      textChunk: 1 + Math.floor(r() * 9),
      fragment: r() < 0.7 ? 1 + Math.floor(r() * 7) : undefined,
      ids,
      indexes,
      interleave,
      argsAsObject: r() < 0.15,
      callsInOneChunk: r() < 0.1,
      finishReason: r() < 0.2 ? 'stop' : undefined,
      comments: r() < 0.3,
      keepAlive: r() < 0.3 ? pick(['ping', 'inside_event', 'rewrapped'] as const) : undefined,
      // A proxy's repeat names the call as its fragments did: by index (and id).
      repeatArgs: indexes === 'every' && ids !== 'changing' && r() < 0.3 ? pick(['same', 'with_name', 'reformatted', 'double_encoded', 'object'] as const) : undefined,
      done: r() < 0.8,
      byteChunk: r() < 0.3 ? 1 + Math.floor(r() * 20) : undefined,
      usage: r() < 0.3 ? false : undefined,
      usageIn: pick(['last-chunk', 'finish-chunk'] as const),
    })
  }
  h = await harness(turns)
  for (const [i, t] of turns.entries()) {
    const res = await h.client.chat({messages: user(`turn ${i}`), tools: TOOLS})
    const ctx = `turn ${i}: ${JSON.stringify(t)}`
    expect(res.toolCalls.map((c) => [c.function.name, JSON.parse(c.function.arguments)]), ctx).toEqual(t.toolCalls!.map((c) => [c.name, c.args]))
    expect(res.badToolCalls, ctx).toEqual([])
    expect(res.content.trim(), ctx).toBe((t.content ?? '').trim())
    expect(res.reasoning ?? '', ctx).toBe(t.reasoning ?? '')
    expect(res.finishReason, ctx).toBe(t.toolCalls!.length ? 'tool_calls' : 'stop')
  }
})
