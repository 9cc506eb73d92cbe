// Model client overhead: how long the client takes to assemble an answer from the loopback scripted
// server, by stream shape. Providers send tool-call arguments in fragments as small as one character;
// the assembler must stay negligible next to the model's own generation time.
import {createModelClient} from '../dist/core/model/client.js'
import {startScriptedServer} from '../dist/core/model/scripted-server.js'

const big = Array.from({length: 400}, (_, i) => `export const value${i} = compute(${i}) // line ${i + 1}`).join('\n')
const scenarios = [
  ['text 4 KB, 16-char deltas', {content: big.slice(0, 4096), textChunk: 16}],
  ['write_file 20 KB, one chunk', {toolCalls: [{name: 'write_file', args: {path: 'a.ts', content: big.slice(0, 20_000)}}]}],
  ['write_file 20 KB, 4-char fragments', {toolCalls: [{name: 'write_file', args: {path: 'a.ts', content: big.slice(0, 20_000)}}], fragment: 4}],
  ['3 calls interleaved, 2-char fragments', {toolCalls: [1, 2, 3].map((i) => ({name: 'read_file', args: {path: `src/file${i}.ts`, line_range: '1-200'}})), fragment: 2, interleave: true}],
  ['<think> 2 KB + text, 8-char deltas', {reasoning: big.slice(0, 2048), reasoningAs: 'think', content: 'done', textChunk: 8}],
  ['text tool call in <tool_call> tags', {toolCalls: [{name: 'read_file', args: {path: 'a.ts'}}], toolCallsAs: 'tool_call_tags', textChunk: 8}],
]

const mean = async (runs, fn) => {
  const t = performance.now()
  for (let i = 0; i < runs; i++) await fn()
  return (performance.now() - t) / runs
}

export default async function () {
  const rows = []
  const data = {}
  for (const [name, turn] of scenarios) {
    const server = await startScriptedServer(() => turn)
    const client = createModelClient({baseUrl: server.url, model: 'bench', localCheck: false, retries: 0})
    const ask = () => client.chat({messages: [{role: 'user', content: 'go'}]})
    // The same bytes read with plain fetch: what any client pays for the transport.
    const raw = async () => (await fetch(`${server.url}/chat/completions`, {method: 'POST', body: JSON.stringify({stream: true, stream_options: {include_usage: true}, messages: []})})).text()
    const events = (await raw()).split('\n\n').filter(Boolean).length
    const first = performance.now()
    await ask()
    const firstMs = performance.now() - first
    await mean(5, ask)
    await mean(5, raw)
    const rawMs = await mean(20, raw)
    const clientMs = await mean(20, ask)
    await client.close()
    await server.close()
    rows.push([name, events, rawMs, clientMs, clientMs - rawMs, firstMs])
    data[name] = {events, rawFetchMs: rawMs, clientMs, overheadMs: clientMs - rawMs, firstRequestMs: firstMs}
  }
  return {
    title: 'Model client vs plain fetch of the same stream from the loopback scripted server (ms per request, mean of 20 after warm-up)',
    columns: ['stream shape', 'SSE events', 'plain fetch', 'client', 'overhead', 'first request'],
    rows,
    data,
    note: 'first request includes the lazy load of openai + undici (first row only) and a fresh connection.',
  }
}
