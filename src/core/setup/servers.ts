/** A local server worth probing: its usual name and port on 127.0.0.1. */
export interface ServerSpot {
  name: string
  port: number
}

/** Where local OpenAI-compatible servers listen by default. */
export const DEFAULT_SPOTS: readonly ServerSpot[] = [
  {name: 'Ollama', port: 11434},
  {name: 'LM Studio', port: 1234},
  {name: 'llama.cpp', port: 8080},
  {name: 'vLLM', port: 8000},
]

/**
 * The spots to probe: PARECODE_SETUP_PORTS (`name=port,…`, for tests; an empty value probes nothing) replaces the
 * usual list. Entries that do not parse are skipped.
 */
export function serverSpots(value: string | undefined): ServerSpot[] {
  if (value === undefined) return [...DEFAULT_SPOTS]
  const spots: ServerSpot[] = []
  for (const part of value.split(',')) {
    const m = /^\s*([^=]+?)\s*=\s*(\d{1,5})\s*$/.exec(part)
    const port = Number(m?.[2])
    if (m && port > 0 && port < 65_536) spots.push({name: m[1]!, port})
  }
  return spots
}
