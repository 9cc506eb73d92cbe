import {probeServer, type FoundModel, type FoundServer, type ProbeFetch} from './probe.js'
import {detectProviders, type FoundProvider} from './providers.js'
import {serverSpots} from './servers.js'

/** Below this many tokens of context an agent cannot hold a file, the tools and their results at once. */
export const MIN_CONTEXT = 16_384

/** What is available on this machine: local servers that answered, provider keys in the environment. */
export interface Discovery {
  servers: FoundServer[]
  providers: FoundProvider[]
  /** Ports probed that gave no answer, by name (`LM Studio 127.0.0.1:1234`). */
  silent: string[]
  warnings: string[]
}

// Embedding and reranking models cannot chat.
const NOT_CHAT = /embed|bge-|minilm|nomic-bert|rerank/i

/** Whether a model can drive a chat at all (embedding models cannot). */
export const isChatModel = (m: FoundModel) => !NOT_CHAT.test(m.id)

/** The warning for a model whose known context is too small for an agent, or undefined. */
export function contextWarning(server: string, m: FoundModel): string | undefined {
  if (!m.contextWindow || m.contextWindow >= MIN_CONTEXT) return undefined
  return `${m.id} on ${server} has a ${m.contextWindow}-token context, below the ${MIN_CONTEXT} an agent needs to hold files and tool results`
}

/** Probe the local servers (in parallel, `timeoutMs` each) and read which provider keys are set. */
export async function discover(opts: {env: Record<string, string | undefined>; fetch: ProbeFetch; timeoutMs?: number}): Promise<Discovery> {
  const spots = serverSpots(opts.env.PARECODE_SETUP_PORTS)
  // PARECODE_SETUP_PROBE_MS: a longer wait for a busy machine (tests); capped at a minute, a longer one is a typo.
  const envMs = Number(opts.env.PARECODE_SETUP_PROBE_MS)
  const timeoutMs = opts.timeoutMs ?? (Number.isFinite(envMs) && envMs > 0 ? Math.min(envMs, 60_000) : 300)
  const answers = await Promise.all(spots.map((s) => probeServer(opts.fetch, s, {timeoutMs, showTimeoutMs: Math.max(timeoutMs, 1500)})))
  const servers = answers.filter((s): s is FoundServer => Boolean(s))
  const silent = spots.filter((_, i) => !answers[i]).map((s) => `${s.name} 127.0.0.1:${s.port}`)
  const warnings = servers.flatMap((s) => s.models.filter(isChatModel).map((m) => contextWarning(s.name, m)).filter((w): w is string => Boolean(w)))
  return {servers, providers: detectProviders(opts.env), silent, warnings}
}
