import type {SetupChoice} from './choice.js'

/** The result of the one tiny request setup makes to show the profile works. */
export interface TryResult {
  ok: boolean
  /** The model's reply, first line, shortened (foreign text: neutralise before printing). */
  reply?: string
  ms: number
  error?: {code: string; message: string; hint?: string}
}

/** Send one short chat request through the model client the commands use; never throws. */
export async function tryModel(c: SetupChoice, opts: {apiKey?: string; signal?: AbortSignal; timeoutMs?: number}): Promise<TryResult> {
  const {createModelClient} = await import('../model/client.js')
  const started = Date.now()
  const t = opts.timeoutMs ?? 120_000
  const client = createModelClient({
    baseUrl: c.baseUrl,
    apiKey: opts.apiKey,
    apiKeySource: c.keyEnv ? `$${c.keyEnv}` : undefined,
    model: c.model,
    retries: 0,
    // A local server may load the model first: the headers can take a while, the stream should not stall.
    timeouts: {connectMs: 5_000, headersMs: t, idleMs: t},
    localCheck: false,
  })
  try {
    const res = await client.chat({messages: [{role: 'user', content: 'Reply with the single word: ok'}], maxTokens: 64, signal: opts.signal})
    const line = (res.content || res.reasoning || '').trim().split('\n')[0] ?? ''
    return {ok: true, reply: line.length > 80 ? `${line.slice(0, 79)}…` : line, ms: Date.now() - started}
  } catch (err) {
    const e = err as {code?: string; message?: string; hint?: string}
    return {ok: false, ms: Date.now() - started, error: {code: e.code ?? 'error', message: e.message ?? String(err), ...(e.hint ? {hint: e.hint} : {})}}
  } finally {
    await client.close().catch(() => {})
  }
}
