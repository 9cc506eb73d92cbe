import {spawn, type ChildProcess} from 'node:child_process'
import {createServer} from 'node:net'
import path from 'node:path'
import {projectRoot} from '../../support/repo.js'
import {MCP_DEFAULTS, type McpServerSpec} from '../../../src/core/mcp/config.js'

/** The real server-everything entry point (a devDependency). */
export const EVERYTHING = path.join(projectRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js')

/** A resolved server entry as the config resolver makes them; generous timeouts for a busy machine. */
export function spec(name: string, over: Partial<McpServerSpec> = {}): McpServerSpec {
  return {
    name,
    source: 'user:~/.config/parecode/config.yaml',
    fromRepo: false,
    transport: 'stdio',
    command: process.execPath,
    args: [EVERYTHING, 'stdio'],
    env: {},
    envPass: [],
    enabled: true,
    timeoutMs: MCP_DEFAULTS.callTimeoutMs,
    startTimeoutMs: 60_000,
    routes: [],
    setting: {},
    ...over,
  }
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as {port: number}).port
      s.close(() => resolve(port))
    })
  })
}

/** server-everything in streamable HTTP mode on 127.0.0.1:<port>, resolved once it listens. */
export async function startEverythingHttp(): Promise<{url: string; child: ChildProcess; stop(): void}> {
  const port = await freePort()
  const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], {env: {...process.env, PORT: String(port)}, stdio: ['ignore', 'pipe', 'pipe']})
  await new Promise<void>((resolve, reject) => {
    let err = ''
    child.stderr!.on('data', (d) => {
      err += d
      if (/listening on port/i.test(err)) resolve()
    })
    child.stdout!.resume()
    child.once('exit', (code) => reject(new Error(`server-everything (HTTP) exited ${code}: ${err}`)))
  })
  return {url: `http://127.0.0.1:${port}/mcp`, child, stop: () => void child.kill('SIGTERM')}
}
