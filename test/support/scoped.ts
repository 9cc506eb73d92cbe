import {onTestFinished} from 'vitest'
import {startScriptedServer, type Policy, type ScriptedServer, type ScriptedServerOptions} from '../../src/core/model/scripted-server.js'
import {makeRepo, removeDir} from './repo.js'

/** A temporary repository removed when the current test finishes. */
export function scopedRepo(...args: Parameters<typeof makeRepo>): string {
  const dir = makeRepo(...args)
  onTestFinished(() => removeDir(dir))
  return dir
}

/** The loopback model server, closed when the current test finishes. */
export async function scopedServer(policy: Policy, opts?: ScriptedServerOptions): Promise<ScriptedServer> {
  const server = await startScriptedServer(policy, opts)
  onTestFinished(() => server.close())
  return server
}
