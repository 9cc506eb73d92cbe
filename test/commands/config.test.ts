import {spawn, type ChildProcess} from 'node:child_process'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli, tempDir, writeFiles} from '../support/repo.js'

// `git pare config` through the built CLI (`PARE_BUILD_LENIENT=1 npm run build` first).
let repo: string
let home: string
const KEY = 'sk-test-0123456789abcdefWXYZ'

beforeAll(() => {
  repo = makeRepo()
  home = tempDir('pare-home-')
})

afterAll(() => {
  removeDir(repo)
  removeDir(home)
})

const userFile = (text: string) => writeFiles(home, {'.config/parecode/config.yaml': text})
const repoFile = (dir: string, text: string) => writeFiles(dir, {'.parecode/config.yaml': text})
const json = (args: string[], opts: {cwd?: string; env?: NodeJS.ProcessEnv} = {}) => {
  const r = runCli(['config', '--json', ...args], {cwd: opts.cwd ?? repo, env: {HOME: home, ...opts.env}})
  return {...r, body: JSON.parse(r.stdout)}
}
type Body = {result: {values: {key: string; value: unknown; source: string}[]}}
const value = (body: Body, key: string) => body.result.values.find((v) => v.key === key)

describe('git pare config', () => {
  it('explains how to configure when nothing is configured', () => {
    const empty = tempDir('pare-home-')
    try {
      const r = runCli(['config'], {cwd: repo, env: {HOME: empty}})
      expect(r.code).toBe(0)
      expect(r.stdout).toContain('No model is configured.')
      expect(r.stdout).toContain('~/.config/parecode/config.yaml')
      expect(r.stdout).toContain('PARECODE_BASE_URL')
      expect(r.stdout).toContain('Ollama on 127.0.0.1:11434 is found automatically')
      expect(r.stdout.split('\n').length).toBeLessThan(30)
      const j = runCli(['config', '--json'], {cwd: repo, env: {HOME: empty}})
      const body = JSON.parse(j.stdout)
      expect(body).toMatchObject({status: 0, result: {configured: false, profile: 'default'}, warnings: []})
      // The --json contract.
      expect(Object.keys(body).sort()).toEqual(['result', 'status', 'warnings'])
      expect(Object.keys(body.result).sort()).toEqual(['configured', 'files', 'profile', 'profiles', 'sandbox', 'settings', 'values'])
      expect(body.result.files).toEqual({
        user: {path: path.join(empty, '.config/parecode/config.yaml'), display: '~/.config/parecode/config.yaml', exists: false},
        repo: {path: path.join(repo, '.parecode/config.yaml'), display: '.parecode/config.yaml', exists: false},
      })
      expect(body.result.settings).toMatchObject({telemetry: true, gc: {keep: 50}})
      // Which sandbox bash uses shows even before a model is configured.
      expect(r.stdout).toMatch(/^sandbox: (bwrap \(\/.+\)|sandbox-exec \(.+\)|none: .+); approval: (auto|ask) \(default \((sandboxed|no sandbox)\)\)$/m)
    } finally {
      removeDir(empty)
    }
  })

  it('shows values with their sources; the repo file overrides the user file', () => {
    userFile('profile: work\nprofiles:\n  work:\n    base_url: https://llm.example.com/v1\n    model: big\n    api_key_env: WORK_KEY\n    context_window: 65536\n')
    repoFile(repo, 'profiles:\n  work:\n    model: small\n')
    try {
      // Not approved yet: ignored, and the listing says so.
      const before = runCli(['config'], {cwd: repo, env: {HOME: home, WORK_KEY: KEY}})
      expect(before.stdout).toMatch(/^model\s+big\s+user:/m)
      expect(before.stdout).toContain('repo file: .parecode/config.yaml (not approved, ignored: review it with `git pare trust`)')
      expect(before.stdout).toMatch(/^repo_config\s+not approved, ignored/m)
      expect(runCli(['trust', '--yes'], {cwd: repo, env: {HOME: home}}).code).toBe(0)
      const r = runCli(['config'], {cwd: repo, env: {HOME: home, WORK_KEY: KEY}})
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/^base_url\s+https:\/\/llm\.example\.com\/v1\s+user:~\/\.config\/parecode\/config\.yaml$/m)
      expect(r.stdout).toMatch(/^model\s+small\s+repo:\.parecode\/config\.yaml$/m)
      expect(r.stdout).toMatch(/^api_key\s+sk-…WXYZ\s+env:WORK_KEY$/m)
      expect(r.stdout).toMatch(/^budget_fraction\s+0\.6\s+default$/m)
      expect(r.stdout + r.stderr).not.toContain(KEY)
      const {body} = json([], {env: {WORK_KEY: KEY}})
      expect(body.result).toMatchObject({profile: 'work', configured: true, profiles: ['work']})
      expect(value(body, 'context_window')).toEqual({key: 'context_window', value: 65536, source: 'user:~/.config/parecode/config.yaml'})
      expect(JSON.stringify(body)).not.toContain(KEY)
    } finally {
      removeDir(path.join(repo, '.parecode'))
      removeDir(path.join(home, '.config'))
    }
  })

  it('puts flags over env over files', () => {
    userFile('profiles:\n  p:\n    base_url: http://127.0.0.1:8080/v1\n    model: file-model\n')
    try {
      const env = {PARECODE_MODEL: 'env-model'}
      expect(value(json([], {env}).body, 'model')).toMatchObject({value: 'env-model', source: 'env:PARECODE_MODEL'})
      const {body} = json(['--model', 'flag-model', '--base-url', 'http://127.0.0.1:9999/v1'], {env})
      expect(value(body, 'model')).toMatchObject({value: 'flag-model', source: 'flag'})
      expect(value(body, 'base_url')).toMatchObject({value: 'http://127.0.0.1:9999/v1', source: 'flag'})
    } finally {
      removeDir(path.join(home, '.config'))
    }
  })

  it('detects a provider key from the environment, masked', () => {
    const {body} = json([], {env: {OPENROUTER_API_KEY: KEY}})
    expect(value(body, 'base_url')).toMatchObject({value: 'https://openrouter.ai/api/v1', source: 'env:OPENROUTER_API_KEY'})
    expect(value(body, 'api_key')).toMatchObject({value: 'sk-…WXYZ', source: 'env:OPENROUTER_API_KEY'})
    expect(value(json([], {env: {OPENAI_API_KEY: 'short'}}).body, 'api_key')?.value).toBe('(set, hidden)')
  })

  it('lists the known profiles for an unknown one (exit 2, one line)', () => {
    userFile('profiles:\n  alpha: {model: a}\n  beta: {model: b}\n')
    try {
      const r = runCli(['config', '--profile', 'gamma'], {cwd: repo, env: {HOME: home}})
      expect(r.code).toBe(2)
      expect(r.stderr.split('\n')[0]).toBe('error: unknown profile "gamma" (from --profile); known profiles: alpha, beta')
      const j = json(['--profile', 'gamma'])
      expect(j.code).toBe(2)
      expect(j.body).toMatchObject({status: 2, error: {code: 'unknown_profile'}})
    } finally {
      removeDir(path.join(home, '.config'))
    }
  })

  it('reports a bad file with its name and line, never echoing a key', () => {
    userFile('profiles:\n  p:\n    model: m\n    api_key: ' + KEY + '\n')
    try {
      const r = runCli(['config'], {cwd: repo, env: {HOME: home}})
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('error: ~/.config/parecode/config.yaml:4: "profiles.p.api_key": API keys are never read from config files')
      expect(r.stderr).toContain('api_key_env')
      expect(r.stderr).not.toContain(KEY)
    } finally {
      removeDir(path.join(home, '.config'))
    }
  })

  it('works outside a repository: user file and environment only', () => {
    const outside = tempDir('pare-outside-')
    repoFile(outside, 'profiles:\n  ignored: {model: x}\n')
    try {
      const {body, code} = json([], {cwd: outside, env: {PARECODE_BASE_URL: 'http://127.0.0.1:1234/v1', PARECODE_MODEL: 'm'}})
      expect(code).toBe(0)
      expect(body.result).toMatchObject({configured: true, profiles: []})
      expect(body.result.files.repo).toBeUndefined()
    } finally {
      removeDir(outside)
    }
  })

  it('carries warnings in --json and prints them on stderr otherwise', () => {
    userFile('profiles:\n  p:\n    base_url: http://127.0.0.1:8080/v1\n    model: m\n    api_key_env: NOT_SET_ANYWHERE\n')
    try {
      expect(json([]).body.warnings).toEqual(['api_key_env names NOT_SET_ANYWHERE (user:~/.config/parecode/config.yaml), but that environment variable is not set'])
      expect(runCli(['config'], {cwd: repo, env: {HOME: home}}).stderr).toContain('warning: api_key_env names NOT_SET_ANYWHERE')
    } finally {
      removeDir(path.join(home, '.config'))
    }
  })

  it('shows the sandbox and the approval policy with their sources', async () => {
    const {bwrapUsable} = await import('../core/sandbox/usable.js')
    const sandboxed = await bwrapUsable()
    const env = {PARECODE_BASE_URL: 'http://127.0.0.1:9/v1', PARECODE_MODEL: 'm'}
    let {body} = json([], {env})
    expect(body.result.sandbox.kind).toBe(sandboxed ? 'bwrap' : 'none')
    expect(value(body, 'sandbox')).toMatchObject({source: 'detected'})
    expect(value(body, 'approval')).toEqual({key: 'approval', value: sandboxed ? 'auto' : 'ask', source: sandboxed ? 'default (sandboxed)' : 'default (no sandbox)'})
    expect(value(body, 'sandbox.network')).toEqual({key: 'sandbox.network', value: false, source: 'default'})
    // The user turns the sandbox off: approval falls back to ask.
    body = json([], {env: {...env, PARECODE_SANDBOX: '0'}}).body
    expect(value(body, 'sandbox')).toEqual({key: 'sandbox', value: 'off', source: 'env:PARECODE_SANDBOX'})
    expect(value(body, 'approval')).toMatchObject({value: 'ask', source: 'default (no sandbox)'})
    expect(value(json(['--approval', 'never'], {env}).body, 'approval')).toEqual({key: 'approval', value: 'never', source: 'flag'})
    userFile('approval: ask\nsandbox: {enabled: false, network: true}\nbash_allow: [npm test]\n')
    try {
      body = json([], {env}).body
      expect(value(body, 'approval')).toEqual({key: 'approval', value: 'ask', source: 'user:~/.config/parecode/config.yaml'})
      expect(value(body, 'sandbox')).toEqual({key: 'sandbox', value: 'off', source: 'user:~/.config/parecode/config.yaml'})
      expect(value(body, 'bash_allow')).toEqual({key: 'bash_allow', value: ['npm test'], source: 'user:~/.config/parecode/config.yaml'})
      const text = runCli(['config'], {cwd: repo, env: {HOME: home, ...env}}).stdout
      expect(text).toMatch(/^approval\s+ask\s+user:~\/\.config\/parecode\/config\.yaml$/m)
      expect(text).toMatch(/^sandbox\s+off\s+user:/m)
    } finally {
      removeDir(path.join(home, '.config'))
    }
  })

  describe('with a local Ollama', () => {
    let server: ChildProcess
    let host: string
    beforeAll(async () => {
      // In its own process: runCli blocks this one while the CLI runs.
      const code = `require('http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end(JSON.stringify(q.url === '/api/tags' ? {models: [{name: 'llama2:7b'}, {name: 'qwen2.5-coder:7b'}]} : {})) }).listen(0, '127.0.0.1', function () { console.log(this.address().port) })`
      server = spawn(process.execPath, ['-e', code], {stdio: ['ignore', 'pipe', 'inherit']})
      const port = await new Promise<string>((resolve) => server.stdout!.once('data', (d) => resolve(String(d).trim())))
      host = `127.0.0.1:${port}`
    })
    afterAll(() => {
      server.kill()
    })

    it('is found when nothing else is configured, with a tool-capable model', () => {
      const {body} = json([], {env: {OLLAMA_HOST: host, PARECODE_NO_OLLAMA_PROBE: '', PARECODE_OLLAMA_PROBE_MS: '30000'}})
      expect(body.result).toMatchObject({configured: true, ollama_models: ['llama2:7b', 'qwen2.5-coder:7b']})
      expect(value(body, 'base_url')).toMatchObject({value: `http://${host}/v1`, source: 'ollama'})
      expect(value(body, 'model')).toMatchObject({value: 'qwen2.5-coder:7b', source: 'ollama'})
    })

    it('is not probed under PARECODE_NO_OLLAMA_PROBE=1', () => {
      expect(json([], {env: {OLLAMA_HOST: host}}).body.result.configured).toBe(false)
    })
  })
})
