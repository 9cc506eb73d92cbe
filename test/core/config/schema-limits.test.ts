import {describe, expect, it} from 'vitest'
import {parseConfigText} from '../../../src/core/config/file.js'

describe('config validation against hostile files', () => {
  it('refuses prototype key names anywhere, instead of treating them as known keys', async () => {
    for (const text of [
      'hooks:\n  constructor: "touch pwned"\n',
      'hooks:\n  __proto__: {on_edit: "touch pwned"}\n',
      'profiles:\n  __proto__:\n    base_url: http://127.0.0.1:9/v1\n',
      'profiles:\n  p:\n    constructor: x\n',
      'constructor: x\n',
      'profiles:\n  p:\n    timeouts:\n      toString: 5\n',
    ]) {
      await expect(parseConfigText(text, '.parecode/config.yaml'), text).rejects.toThrow(/^\.parecode\/config\.yaml:\d+: /)
    }
  })

  it('range-checks numbers: a timer past 2^31 ms would fire at once', async () => {
    await expect(parseConfigText('profiles:\n  p:\n    timeouts: {idle_ms: 4294967296}\n', 'c.yaml')).rejects.toThrow('c.yaml:3: profiles.p.timeouts.idle_ms must be at most 86400000')
    await expect(parseConfigText('profiles:\n  p:\n    bash_timeout_max: 3000000000\n', 'c.yaml')).rejects.toThrow('bash_timeout_max must be at most 86400')
    await expect(parseConfigText('gc: {keep: 1e12}\n', 'c.yaml')).rejects.toThrow(/gc.keep must be at most/)
    await expect(parseConfigText('profiles:\n  p:\n    context_window: .inf\n', 'c.yaml')).rejects.toThrow(/must be a number/)
    // Ordinary values still pass.
    expect(await parseConfigText('profiles:\n  p:\n    timeouts: {idle_ms: 600000}\n    bash_timeout_max: 900\n', 'c.yaml')).toMatchObject({profiles: {p: {bash_timeout_max: 900}}})
  })

  it('accepts the permission settings and rejects a bad approval policy with its line', async () => {
    expect(await parseConfigText('approval: ask\nsandbox: {network: true}\nbash_allow: [npm test]\nsessions: {secret_files: false}\n', 'u.yaml')).toMatchObject({approval: 'ask', sandbox: {network: true}, bash_allow: ['npm test']})
    await expect(parseConfigText('approval: yolo\n', 'u.yaml')).rejects.toThrow('u.yaml:1: approval must be one of: auto, ask, never')
  })
})
