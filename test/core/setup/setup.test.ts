import {describe, expect, it, onTestFinished} from 'vitest'
import {parseConfigText} from '../../../src/core/config/file.js'
import {editUserConfig} from '../../../src/core/setup/config-text.js'
import {detectProviders} from '../../../src/core/setup/providers.js'
import {serverSpots} from '../../../src/core/setup/servers.js'
import type {SetupChoice} from '../../../src/core/setup/choice.js'
import {startScriptedServer, turn} from '../../support/model-server.js'
import {runCliAsync, tempDir} from '../../support/repo.js'

const local: SetupChoice = {profile: 'ollama', where: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen3:8b', tools: true, contextWindow: 8192, local: true}
const hosted: SetupChoice = {profile: 'openai', where: 'OpenAI', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1-mini', keyEnv: 'OPENAI_API_KEY', local: false}
const opts = {display: 'config.yaml', date: '2025-01-01'}

describe('setup: the user config it writes', () => {
  it('a fresh file validates, selects the profile and names the key variable only', async () => {
    const edit = await editUserConfig(undefined, hosted, opts)
    expect(edit).toMatchObject({profile: 'openai', created: true, reused: false})
    const s = await parseConfigText(edit.text, 'config.yaml')
    expect(s.profile).toBe('openai')
    expect(s.profiles?.openai).toEqual({base_url: 'https://api.openai.com/v1', model: 'gpt-4.1-mini', api_key_env: 'OPENAI_API_KEY'})
    // a small context is written down, so requests are fitted to it
    expect((await parseConfigText((await editUserConfig(undefined, local, opts)).text, 'c')).profiles?.ollama?.context_window).toBe(8192)
  })

  it('an existing file keeps its comments and settings; a name taken by another profile gets a free one', async () => {
    const before = '# mine\nprofile: openai # chosen\nprofiles:\n  openai:\n    base_url: http://127.0.0.1:9/v1 # proxy\n    model: x\ntelemetry: false\n'
    const edit = await editUserConfig(before, hosted, opts)
    expect(edit).toMatchObject({profile: 'openai-2', created: false, reused: false, replacedSelection: 'openai'})
    expect(edit.text).toContain('# mine')
    expect(edit.text).toContain('base_url: http://127.0.0.1:9/v1 # proxy')
    const s = await parseConfigText(edit.text, 'c')
    expect(s.telemetry).toBe(false)
    expect(s.profile).toBe('openai-2')
    expect(s.profiles?.openai).toEqual({base_url: 'http://127.0.0.1:9/v1', model: 'x'})
    // the same choice again: the identical profile is reused, nothing is added
    const again = await editUserConfig(edit.text, hosted, opts)
    expect(again).toMatchObject({profile: 'openai-2', reused: true})
    expect(Object.keys((await parseConfigText(again.text, 'c')).profiles ?? {})).toEqual(['openai', 'openai-2'])
  })

  it('refuses to edit a file that does not validate', async () => {
    await expect(editUserConfig('profiles:\n  a:\n    api_key: sk-abcdefghijklmnopqrstuvwx\n', hosted, opts)).rejects.toThrow(/config.yaml:3/)
  })

  it('reads the port list and provider keys from the environment, never keeping a key', () => {
    expect(serverSpots('A=1,B = 22, junk, C=99999')).toEqual([{name: 'A', port: 1}, {name: 'B', port: 22}])
    expect(serverSpots('')).toEqual([])
    expect(serverSpots(undefined).map((s) => s.port)).toEqual([11434, 1234, 8080, 8000])
    const found = detectProviders({GROQ_API_KEY: 'gsk_x', GOOGLE_API_KEY: 'k', MISTRAL_API_KEY: ' ', PARECODE_SETUP_GROQ_BASE_URL: 'http://127.0.0.1:5/v1/'})
    expect(found).toEqual([
      {id: 'groq', name: 'Groq', keyEnv: 'GROQ_API_KEY', baseUrl: 'http://127.0.0.1:5/v1', model: 'openai/gpt-oss-120b', baseUrlFrom: 'PARECODE_SETUP_GROQ_BASE_URL'},
      {id: 'gemini', name: 'Gemini', keyEnv: 'GOOGLE_API_KEY', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', model: 'gemini-2.5-flash'},
    ])
    expect(JSON.stringify(found)).not.toContain('gsk_x')
  })
})

describe('git pare setup off a terminal', {timeout: 120_000}, () => {
  it('--json reports servers, models and key names; without --json it prints the how-to and exits 2', async () => {
    const server = await startScriptedServer(() => turn.text('ok'), {ollama: {models: [{name: 'qwen3:8b', contextLength: 40_960}]}})
    onTestFinished(() => server.close())
    const home = tempDir('pare-home-')
    const env = {HOME: home, PARECODE_SETUP_PORTS: `Ollama=${server.port}`, PARECODE_SETUP_PROBE_MS: '20000', OPENAI_API_KEY: 'sk-test-abcdefghijklmnopqrstu'}
    const json = await runCliAsync(['setup', '--json'], {cwd: home, env})
    expect(json.code).toBe(0)
    expect(json.stdout).not.toContain('sk-test-')
    const r = JSON.parse(json.stdout).result
    expect(r.servers).toEqual([{name: 'Ollama', base_url: server.url, kind: 'ollama', models: [{id: 'qwen3:8b', tools: true, context_window: 40_960}]}])
    expect(r.providers.map((p: {key_env: string}) => p.key_env)).toEqual(['OPENAI_API_KEY'])
    expect(r.choices.map((c: {profile: string}) => c.profile)).toEqual(['ollama', 'openai'])
    expect(r.user_config.exists).toBe(false)
    expect(server.chatRequests()).toHaveLength(0)

    const plain = await runCliAsync(['setup'], {cwd: home, env})
    expect(plain.code).toBe(2)
    expect(plain.stdout).toContain('No model is configured.')
    expect(plain.stderr).toContain('needs a terminal')
  })
})
