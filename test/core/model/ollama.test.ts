import {afterEach, describe, expect, it} from 'vitest'
import {checkLocalContext, isLocalEndpoint, serverRoot} from '../../../src/core/model/ollama.js'
import {startScriptedServer, turn, type ScriptedServer} from '../../support/model-server.js'
import {harness, user, type Harness} from './helpers.js'

let h: Harness | undefined
let s: ScriptedServer | undefined
afterEach(async () => {
  await h?.close()
  await s?.close()
  h = undefined
  s = undefined
})

describe('endpoint helpers', () => {
  it('server root and local detection', () => {
    expect(serverRoot('http://127.0.0.1:11434/v1/')).toBe('http://127.0.0.1:11434')
    expect(isLocalEndpoint('http://localhost:8080/v1')).toBe(true)
    expect(isLocalEndpoint('http://192.168.1.20:11434/v1')).toBe(true)
    expect(isLocalEndpoint('http://gpu-box:11434/v1')).toBe(true)
    expect(isLocalEndpoint('https://openrouter.ai/api/v1')).toBe(false)
  })
})

describe('checkLocalContext', () => {
  it('is undefined for a server that is not Ollama', async () => {
    s = await startScriptedServer([])
    expect(await checkLocalContext({baseUrl: s.url, model: 'scripted-model', contextWindow: 32_000})).toBeUndefined()
  })

  it("warns with the fix when Ollama's default context is smaller than the profile's window", async () => {
    s = await startScriptedServer([], {ollama: {models: [{name: 'qwen3:8b', contextLength: 40_960}]}})
    const info = await checkLocalContext({baseUrl: s.url, model: 'qwen3:8b', contextWindow: 32_768})
    expect(info).toMatchObject({server: 'ollama', modelContext: 40_960, effectiveContext: 4096, source: 'default'})
    expect(info!.warning).toMatch(/default 4096-token context \(unless the server sets OLLAMA_CONTEXT_LENGTH\), smaller than the profile's context_window of 32768/)
    expect(info!.warning).toMatch(/`OLLAMA_CONTEXT_LENGTH=32768 ollama serve`/)
    expect(info!.warning).toMatch(/`PARAMETER num_ctx 32768`/)
  })

  it('older Ollama defaults to 2048', async () => {
    s = await startScriptedServer([], {ollama: {models: [{name: 'llama3'}], version: '0.5.7'}})
    expect((await checkLocalContext({baseUrl: s.url, model: 'llama3:latest'}))?.effectiveContext).toBe(2048)
  })

  it('reads num_ctx from the Modelfile parameters, and the running context from /api/ps first', async () => {
    s = await startScriptedServer([], {
      ollama: {
        models: [
          {name: 'a', contextLength: 131_072, numCtx: 16_384},
          {name: 'b', contextLength: 131_072, numCtx: 16_384, loadedContext: 65_536},
        ],
      },
    })
    expect(await checkLocalContext({baseUrl: s.url, model: 'a', contextWindow: 16_000})).toMatchObject({effectiveContext: 16_384, source: 'modelfile'})
    const b = await checkLocalContext({baseUrl: s.url, model: 'b', contextWindow: 16_000})
    expect(b).toMatchObject({effectiveContext: 65_536, source: 'loaded'})
    expect(b!.warning).toBeUndefined()
  })

  it('when the model runs at its maximum, the only fix is a smaller context_window', async () => {
    s = await startScriptedServer([], {ollama: {models: [{name: 'small', contextLength: 8192, loadedContext: 8192}]}})
    const info = await checkLocalContext({baseUrl: s.url, model: 'small', contextWindow: 32_000})
    expect(info!.warning).toBe("small supports at most 8192 tokens, less than the profile's context_window of 32000; set context_window: 8192.")
  })

  it('says when the profile asks for more than the model supports', async () => {
    s = await startScriptedServer([], {ollama: {models: [{name: 'small', contextLength: 8192}]}})
    const info = await checkLocalContext({baseUrl: s.url, model: 'small', contextWindow: 32_000})
    expect(info!.warning).toMatch(/the model itself supports at most 8192/)
    expect(info!.warning).toMatch(/OLLAMA_CONTEXT_LENGTH=8192/)
  })
})

describe('client against Ollama', () => {
  it('warns once and fits max_tokens into the context the loaded model really has', async () => {
    const models = [{name: 'qwen3:8b', contextLength: 40_960, loadedContext: 4096}]
    h = await harness([turn.text('one'), turn.text('two')], {model: 'qwen3:8b', contextWindow: 32_768, localCheck: 'auto', countTokens: (t) => t.length}, {ollama: {models}})
    await h.client.chat({messages: user('x'.repeat(1000))}, h.onEvent)
    await h.client.chat({messages: user('hi')}, h.onEvent)
    const warnings = h.events.filter((e) => e.type === 'warning')
    expect(warnings).toHaveLength(1)
    expect((warnings[0] as {message: string}).message).toMatch(/Ollama is running qwen3:8b with a 4096-token context.*OLLAMA_CONTEXT_LENGTH=32768/)
    const [first] = h.server.chatRequests()
    // window 4096, prompt ~1000 (+ overhead), margin max(32, 2%) = 82
    expect(first.body.max_tokens).toBeLessThan(4096 - 1000 - 82 + 1)
    expect(first.body.max_tokens).toBeGreaterThan(2900)
    expect(h.server.requests.filter((r) => r.path === '/api/show')).toHaveLength(1)
    expect(await h.client.checkLocalContext()).toMatchObject({effectiveContext: 4096, source: 'loaded'})
  })

  it("Ollama's default is a guess: no cap, and once the first answer loaded the model its real context is read", async () => {
    const models: Array<{name: string; contextLength: number; loadedContext?: number}> = [{name: 'qwen3:8b', contextLength: 40_960}]
    h = await harness([turn.text('one', {usage: false}), turn.text('two'), turn.text('three')], {model: 'qwen3:8b', contextWindow: 32_768, localCheck: 'auto', countTokens: (t) => t.length}, {ollama: {models}})
    await h.client.chat({messages: user('x'.repeat(6000))}, h.onEvent)
    expect(h.events.filter((e) => e.type === 'warning')).toEqual([])
    expect(h.server.chatRequests()[0].body.max_tokens).toBe(8192)
    // The server was started with OLLAMA_CONTEXT_LENGTH=32768: the loaded model shows it.
    models[0].loadedContext = 32_768
    await h.client.chat({messages: user('hi')}, h.onEvent)
    await h.client.chat({messages: user('hi')}, h.onEvent)
    expect(h.events.filter((e) => e.type === 'warning')).toEqual([])
    expect(await h.client.checkLocalContext()).toMatchObject({effectiveContext: 32_768, source: 'loaded'})
    expect(h.server.requests.filter((r) => r.path === '/api/show')).toHaveLength(2)
  })

  it('an Ollama that cannot tell (no context in /api/ps) gets the default warning after the first answer, with its caveat', async () => {
    h = await harness([turn.text('one'), turn.text('two')], {model: 'qwen3:8b', contextWindow: 32_768, localCheck: 'auto'}, {ollama: true})
    await h.client.chat({messages: user('a')}, h.onEvent)
    await h.client.chat({messages: user('b')}, h.onEvent)
    const warnings = h.events.filter((e) => e.type === 'warning') as Array<{message: string}>
    expect(warnings).toHaveLength(1)
    expect(warnings[0].message).toMatch(/^Ollama probably runs qwen3:8b with its default 4096-token context \(unless the server sets OLLAMA_CONTEXT_LENGTH\)/)
  })

  it('does not probe cloud endpoints in auto mode', async () => {
    h = await harness([turn.text('x')], {localCheck: 'auto', baseUrl: 'https://api.example.invalid/v1'})
    expect(await h.client.checkLocalContext()).toBeUndefined()
  })
})
