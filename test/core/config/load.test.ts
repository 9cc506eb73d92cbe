import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {loadConfig} from '../../../src/core/config/load.js'
import {maskKey} from '../../../src/core/config/mask.js'
import {pickOllamaModel, probeOllama} from '../../../src/core/config/ollama.js'
import {closest} from '../../../src/core/config/suggest.js'
import {makeRepo, removeDir, tempDir, writeFiles} from '../../support/repo.js'
import {mkdirSync, readdirSync, rmSync, symlinkSync} from 'node:fs'
import {ApprovalStore, worktreeScope} from '../../../src/core/trust/approvals.js'
import {REPO_CONFIG_KEY} from '../../../src/core/config/repo-file.js'

let server: Server
let url: string
let hang: Server
let hangUrl: string
let tagRequests = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/api/tags') {
      tagRequests++
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({models: [{name: 'nomic-embed-text:latest'}, {name: 'gemma2:2b'}, {name: 'qwen3:8b'}]}))
    } else {
      res.statusCode = 404
      res.end()
    }
  })
  hang = createServer(() => {}) // accepts and never answers: the probe must give up on its own
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  hangUrl = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`
})

afterAll(() => {
  server.close()
  hang.closeAllConnections()
  hang.close()
})

describe('probeOllama', () => {
  it('lists models and prefers a tool-capable one', async () => {
    expect(await probeOllama(fetch, {url, timeoutMs: 30_000})).toEqual({baseUrl: `${url}/v1`, models: ['nomic-embed-text:latest', 'gemma2:2b', 'qwen3:8b'], model: 'qwen3:8b'})
  })

  it('gives up quietly when nothing answers, or answers too slowly', async () => {
    expect(await probeOllama(fetch, {url: 'http://127.0.0.1:1'})).toBeUndefined()
    expect(await probeOllama(fetch, {url: hangUrl, timeoutMs: 100})).toBeUndefined()
  })

  it('picks models by family, never an embedding model', () => {
    expect(pickOllamaModel(['llama2:7b', 'llama3.1:8b', 'qwen2.5-coder:14b'])).toBe('qwen2.5-coder:14b')
    expect(pickOllamaModel(['phi3:mini', 'mistral-nemo:12b'])).toBe('mistral-nemo:12b')
    expect(pickOllamaModel(['all-minilm', 'phi3:mini'])).toBe('phi3:mini')
    expect(pickOllamaModel(['nomic-embed-text'])).toBeUndefined()
  })
})

describe('loadConfig', () => {
  it('reads user and repo files, repo first, with display paths, once the repo file is approved', async () => {
    const home = tempDir('pare-home-')
    const text = 'profiles:\n  p:\n    model: from-repo\n'
    const repoDir = makeRepo({'.parecode/config.yaml': text})
    writeFiles(home, {'.config/parecode/config.yaml': 'profile: p\nprofiles:\n  p:\n    base_url: http://h/v1\n    model: from-user\n'})
    const approvals = new ApprovalStore(path.join(home, 'approvals'))
    try {
      // Not approved: the repository's file is inert, and the user's own config works.
      const before = await loadConfig({cwd: repoDir, env: {HOME: home}, home, approvals})
      expect(before.profile).toMatchObject({name: 'p', baseUrl: 'http://h/v1', model: 'from-user'})
      expect(before.repoTrust).toEqual({state: 'unapproved', text})
      await approvals.approve(worktreeScope(repoDir), [{key: REPO_CONFIG_KEY, content: text}])
      const c = await loadConfig({cwd: path.join(repoDir), env: {HOME: home}, home, approvals})
      expect(c.profile).toMatchObject({name: 'p', baseUrl: 'http://h/v1', model: 'from-repo'})
      expect(c.repoTrust.state).toBe('approved')
      expect(c.files.user).toEqual({path: path.join(home, '.config/parecode/config.yaml'), display: '~/.config/parecode/config.yaml', exists: true})
      expect(c.files.repo).toEqual({path: path.join(repoDir, '.parecode/config.yaml'), display: '.parecode/config.yaml', exists: true})
      expect(c.ollama).toBeUndefined()
      // Any change needs a new approval.
      writeFiles(repoDir, {'.parecode/config.yaml': text.replace('from-repo', 'other')})
      expect((await loadConfig({cwd: repoDir, env: {HOME: home}, home, approvals})).profile.model).toBe('from-user')
    } finally {
      removeDir(home)
      removeDir(repoDir)
    }
  })

  it('keeps approvals in the user state directory, per work tree: an approval in one clone does not carry to another', async () => {
    const home = tempDir('pare-home-')
    const text = 'profiles:\n  p:\n    base_url: http://127.0.0.1:9/v1\n    model: m\n'
    const a = makeRepo({'.parecode/config.yaml': text})
    const b = makeRepo({'.parecode/config.yaml': text})
    try {
      const env = {HOME: home, XDG_STATE_HOME: path.join(home, 'state')}
      await ApprovalStore.forUser(env).approve(worktreeScope(a), [{key: REPO_CONFIG_KEY, content: text}])
      expect((await loadConfig({cwd: a, env, home})).repoTrust.state).toBe('approved')
      expect((await loadConfig({cwd: b, env, home})).repoTrust.state).toBe('unapproved')
      expect(readdirSync(path.join(home, 'state/parecode/approvals')).length).toBe(1)
    } finally {
      for (const d of [home, a, b]) removeDir(d)
    }
  })

  it('never reads a repo config that is a symlink out of the repository, a device, or huge', async () => {
    const home = tempDir('pare-home-')
    const outside = tempDir('pare-outside-')
    writeFiles(outside, {'config.yaml': 'profiles:\n  p:\n    base_url: http://127.0.0.1:9/v1\n    model: m\n'})
    const cases: [string, () => void][] = [
      ['symlink out', () => undefined],
      ['dev zero', () => undefined],
      ['folder symlink', () => undefined],
      ['huge', () => undefined],
    ]
    try {
      for (const [name] of cases) {
        const repoDir = makeRepo({'README.md': 'x\n'})
        mkdirSync(path.join(repoDir, '.parecode'), {recursive: true})
        if (name === 'symlink out') symlinkSync(path.join(outside, 'config.yaml'), path.join(repoDir, '.parecode/config.yaml'))
        if (name === 'dev zero') symlinkSync('/dev/zero', path.join(repoDir, '.parecode/config.yaml'))
        if (name === 'folder symlink') {
          rmSync(path.join(repoDir, '.parecode'), {recursive: true})
          symlinkSync(outside, path.join(repoDir, '.parecode'))
        }
        if (name === 'huge') writeFiles(repoDir, {'.parecode/config.yaml': `# ${'x'.repeat(300 * 1024)}\n`})
        const c = await loadConfig({cwd: repoDir, env: {HOME: home}, home, approvals: new ApprovalStore(path.join(home, 'a'))})
        expect(c.repoTrust.state, name).toBe('refused')
        expect(c.profile.baseUrl, name).toBeUndefined()
        removeDir(repoDir)
      }
    } finally {
      removeDir(home)
      removeDir(outside)
    }
  })

  it('honours XDG_CONFIG_HOME and works outside a repository', async () => {
    const home = tempDir('pare-home-')
    const xdg = path.join(home, 'xdg')
    writeFiles(xdg, {'parecode/config.yaml': 'profiles:\n  only:\n    model: m\n    base_url: http://x/v1\n'})
    try {
      const c = await loadConfig({cwd: home, env: {XDG_CONFIG_HOME: xdg}, home, repoRoot: undefined})
      expect(c.profile).toMatchObject({name: 'only', model: 'm'})
      expect(c.files.repo).toBeUndefined()
      expect(c.files.user.display).toBe('~/xdg/parecode/config.yaml')
    } finally {
      removeDir(home)
    }
  })

  it('names the file and line of a bad config, once approved (an unapproved one is not even parsed)', async () => {
    const text = 'profiles:\n  p:\n    colour: red\n'
    const repoDir = makeRepo({'.parecode/config.yaml': text})
    const home = tempDir('pare-home-')
    const approvals = new ApprovalStore(path.join(home, 'a'))
    try {
      expect((await loadConfig({cwd: repoDir, env: {}, home, approvals})).repoTrust.state).toBe('unapproved')
      await approvals.approve(worktreeScope(repoDir), [{key: REPO_CONFIG_KEY, content: text}])
      await expect(loadConfig({cwd: repoDir, env: {}, home, approvals})).rejects.toThrow('.parecode/config.yaml:3: unknown key "profiles.p.colour"')
    } finally {
      removeDir(repoDir)
      removeDir(home)
    }
  })

  it('probes Ollama only when nothing names an endpoint, and not under PARECODE_NO_OLLAMA_PROBE=1', async () => {
    const home = tempDir('pare-home-')
    try {
      const before = tagRequests
      const found = await loadConfig({cwd: home, repoRoot: null, env: {}, home, ollamaUrl: url, probeTimeoutMs: 30_000})
      expect(found.profile).toMatchObject({baseUrl: `${url}/v1`, model: 'qwen3:8b', configured: true, sources: {baseUrl: 'ollama', model: 'ollama'}})
      expect(found.ollama?.models).toHaveLength(3)
      await loadConfig({cwd: home, repoRoot: null, env: {PARECODE_NO_OLLAMA_PROBE: '1'}, home, ollamaUrl: url})
      await loadConfig({cwd: home, repoRoot: null, env: {PARECODE_BASE_URL: 'http://x/v1', PARECODE_MODEL: 'm'}, home, ollamaUrl: url})
      expect(tagRequests - before).toBe(1)
      const none = await loadConfig({cwd: home, repoRoot: null, env: {}, home, ollamaUrl: 'http://127.0.0.1:1'})
      expect(none.profile.configured).toBe(false)
    } finally {
      removeDir(home)
    }
  })
})

describe('maskKey and closest', () => {
  it('masks keys', () => {
    expect(maskKey('sk-proj-0123456789abcdef')).toBe('sk-…cdef')
    expect(maskKey('short-key')).toBe('(set, hidden)')
    expect(maskKey(undefined)).toBeUndefined()
  })

  it('suggests near names only', () => {
    expect(closest('modle', ['model', 'base_url'])).toBe('model')
    expect(closest('conf', ['config', 'plan'])).toBe('config')
    expect(closest('xyzzy', ['config', 'plan'])).toBeUndefined()
  })
})

describe('ollamaUrlFromEnv', () => {
  it('reads OLLAMA_HOST the way Ollama does', async () => {
    const {ollamaUrlFromEnv} = await import('../../../src/core/config/ollama.js')
    expect(ollamaUrlFromEnv(undefined)).toBeUndefined()
    expect(ollamaUrlFromEnv('0.0.0.0')).toBe('http://127.0.0.1:11434')
    expect(ollamaUrlFromEnv('gpu-box:8080')).toBe('http://gpu-box:8080')
    expect(ollamaUrlFromEnv('https://ollama.example.com')).toBe('https://ollama.example.com')
    expect(ollamaUrlFromEnv('http://127.0.0.1:80')).toBe('http://127.0.0.1')
  })
})
