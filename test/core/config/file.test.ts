import {describe, expect, it} from 'vitest'
import {parseConfigText} from '../../../src/core/config/file.js'
import {ConfigError} from '../../../src/core/errors/index.js'

async function err(text: string): Promise<ConfigError> {
  try {
    await parseConfigText(text, 'cfg.yaml')
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError)
    return e as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('parseConfigText', () => {
  it('reads profiles, hooks and settings', async () => {
    const s = await parseConfigText(
      [
        'profile: local',
        'telemetry: false',
        'gc: {keep: 10}',
        'hooks:',
        '  on_edit: npx tsc --noEmit',
        '  on_task_done: [npm test, npm run lint]',
        '  on_session_end: null',
        'profiles:',
        '  local:',
        '    base_url: http://127.0.0.1:11434/v1',
        '    model: qwen3:14b',
        '    context_window: 16384',
        '    model_routes: {quick: qwen3:4b}',
        '    edit_format: {anchors: false}',
        '    timeouts: {idle_ms: 1000}',
        '    hooks_disabled: true',
      ].join('\n'),
      'cfg.yaml',
    )
    expect(s.profile).toBe('local')
    expect(s.telemetry).toBe(false)
    expect(s.gc).toEqual({keep: 10})
    expect(s.hooks).toEqual({on_edit: ['npx tsc --noEmit'], on_task_done: ['npm test', 'npm run lint'], on_session_end: null})
    expect(s.profiles?.local).toMatchObject({model: 'qwen3:14b', context_window: 16384, model_routes: {quick: 'qwen3:4b'}, edit_format: {anchors: false}, hooks_disabled: true})
  })

  it('accepts an empty file', async () => {
    expect(await parseConfigText('', 'cfg.yaml')).toEqual({})
    expect(await parseConfigText('# only a comment\n', 'cfg.yaml')).toEqual({})
  })

  it('follows aliases; refuses merge keys and missing key names', async () => {
    const s = await parseConfigText('profiles:\n  a: &base {model: m, context_window: 8192}\n  b: *base\n', 'cfg.yaml')
    expect(s.profiles?.b).toEqual({model: 'm', context_window: 8192})
    expect((await err('profiles:\n  a: &x {model: m}\n  b:\n    <<: *x\n')).message).toContain('cfg.yaml:4: profiles.b: YAML merge keys')
    expect((await err(': x\n')).message).toBe('cfg.yaml:1: the file: a key name is missing')
  })

  it('reports invalid YAML with file and line', async () => {
    const e = await err('profiles:\n  a:\n    model: "unterminated\n')
    expect(e.message).toMatch(/^cfg\.yaml:\d+: invalid YAML/)
    const dup = await err('profile: a\nprofile: b\n')
    expect(dup.message).toMatch(/^cfg\.yaml:2: invalid YAML: Map keys must be unique/)
  })

  it('reports an unknown key with its line and a suggestion', async () => {
    const e = await err('profiles:\n  local:\n    model: a\n    modle: b\n')
    expect(e.message).toBe('cfg.yaml:4: unknown key "profiles.local.modle"; did you mean "model"?')
    expect(e.hint).toContain('base_url')
    expect(e.exitCode).toBe(2)
  })

  it('says profile keys belong under profiles when written at the top', async () => {
    const e = await err('model: qwen3\n')
    expect(e.message).toBe('cfg.yaml:1: unknown key "model"')
    expect(e.hint).toContain('profiles.<name>')
  })

  it('rejects literal keys without echoing them', async () => {
    const named = await err('profiles:\n  x:\n    api_key: abc\n')
    expect(named.message).toContain('cfg.yaml:3:')
    expect(named.message).toContain('API keys are never read from config files')
    expect(named.hint).toContain('api_key_env')
    const shaped = await err('profiles:\n  x:\n    model: sk-proj-aaaaaaaaaaaaaaaaaaaaaaaa\n')
    expect(shaped.message).toContain('looks like an API key')
    expect(shaped.message).not.toContain('aaaaaaaa')
    const inEnvName = await err('profiles:\n  x:\n    api_key_env: "12 34"\n')
    expect(inEnvName.message).toContain('NAME of an environment variable')
    expect(inEnvName.message).not.toContain('12 34')
  })

  it('checks value types and ranges with lines', async () => {
    expect((await err('profiles:\n  x:\n    context_window: big\n')).message).toBe('cfg.yaml:3: profiles.x.context_window must be a number')
    expect((await err('profiles:\n  x:\n    budget_fraction: 2\n')).message).toBe('cfg.yaml:3: profiles.x.budget_fraction must be at most 0.95')
    expect((await err('profiles:\n  x:\n    tokenizer: gpt5\n')).message).toContain('must be one of: o200k_base')
    expect((await err('profiles:\n  x:\n    base_url: localhost:11434\n')).message).toContain('http(s) URL')
    expect((await err('telemetry: yes please\n')).message).toBe('cfg.yaml:1: telemetry must be true or false')
    expect((await err('hooks:\n  on_edit: {a: 1}\n')).message).toContain('hooks.on_edit must be a command')
    expect((await err('- a\n- b\n')).message).toContain('must be a mapping')
  })
})
