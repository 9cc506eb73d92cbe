import {createModelClient, type ModelClientOptions, type PareModelClient} from '../../../src/core/model/client.js'
import type {StreamEvent, ToolSchema} from '../../../src/core/model/types.js'
import {startScriptedServer, type Policy, type ScriptedServer, type ScriptedServerOptions} from '../../support/model-server.js'

export const TOOLS: ToolSchema[] = [
  {type: 'function', function: {name: 'read_file', description: 'Read a file', parameters: {type: 'object', properties: {path: {type: 'string'}, line_range: {type: 'string'}}, required: ['path']}}},
  {type: 'function', function: {name: 'list_files', description: 'List files', parameters: {type: 'object', properties: {path: {type: 'string'}}}}},
]

export interface Harness {
  server: ScriptedServer
  client: PareModelClient
  events: StreamEvent[]
  sleeps: number[]
  onEvent: (e: StreamEvent) => void
  close(): Promise<void>
}

/** A scripted server and a real client pointed at it; sleeps are recorded and instant. */
export async function harness(policy: Policy, clientOpts: Partial<ModelClientOptions> = {}, serverOpts: ScriptedServerOptions = {}): Promise<Harness> {
  const server = await startScriptedServer(policy, serverOpts)
  const sleeps: number[] = []
  const client = createModelClient({
    baseUrl: server.url,
    model: 'scripted-model',
    localCheck: false,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    random: () => 1,
    ...clientOpts,
  })
  const events: StreamEvent[] = []
  return {
    server,
    client,
    events,
    sleeps,
    onEvent: (e) => events.push(e),
    close: async () => {
      await client.close()
      await server.close()
    },
  }
}

export const user = (content: string) => [{role: 'user' as const, content}]
