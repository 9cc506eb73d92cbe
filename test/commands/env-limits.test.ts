import {spawn, type ChildProcess} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli, tempDir} from '../support/repo.js'

// Numbers from the environment never make a timer past 2^31-1 ms, which Node fires at once (1 ms).
let server: ChildProcess
let host: string
let repo: string
let home: string

beforeAll(async () => {
  repo = makeRepo()
  home = tempDir('pare-home-')
  // Its own process: runCli blocks this one while the CLI runs.
  const code = `require('http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end(JSON.stringify(q.url === '/api/tags' ? {models: [{name: 'qwen2.5-coder:7b'}]} : {})) }).listen(0, '127.0.0.1', function () { console.log(this.address().port) })`
  server = spawn(process.execPath, ['-e', code], {stdio: ['ignore', 'pipe', 'inherit']})
  host = `127.0.0.1:${await new Promise<string>((resolve) => server.stdout!.once('data', (d) => resolve(String(d).trim())))}`
})

afterAll(() => {
  server.kill()
  removeDir(repo)
  removeDir(home)
})

describe('PARECODE_OLLAMA_PROBE_MS', () => {
  for (const ms of ['1e12', String(2 ** 31)]) {
    it(`${ms} is clamped: the probe still waits for the server instead of firing at once`, () => {
      const r = runCli(['config', '--json'], {cwd: repo, env: {HOME: home, OLLAMA_HOST: host, PARECODE_NO_OLLAMA_PROBE: '', PARECODE_OLLAMA_PROBE_MS: ms}})
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).not.toMatch(/TimeoutOverflowWarning/)
      expect(JSON.parse(r.stdout).result).toMatchObject({configured: true, ollama_models: ['qwen2.5-coder:7b']})
    })
  }

  it('nonsense falls back to the default', () => {
    const r = runCli(['config', '--json'], {cwd: repo, env: {HOME: home, OLLAMA_HOST: host, PARECODE_NO_OLLAMA_PROBE: '', PARECODE_OLLAMA_PROBE_MS: '-5'}})
    expect(r.code, r.stderr).toBe(0)
  })
})
