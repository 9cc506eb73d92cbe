import {describe, expect, it} from 'vitest'
import {isSecretFileName, redact, redactJsonl, redactYaml, scanText} from '../../../src/core/secrets/index.js'
import {fake, leaked} from './fakes.js'

describe('scanText / redact', () => {
  it('finds each key shape with its rule and line, and the redaction keeps no part of any key', async () => {
    const text = [`aws id ${fake.awsId()}`, fake.awsSecretLine(), `token ${fake.github()}.`, `OPENAI ${fake.openai()}`, `plain ${fake.openaiPlain()}`, fake.pem()].join('\n')
    const found = await scanText(text, 'x.txt')
    expect(found.map((f) => [f.rule, f.line])).toEqual([['aws', 1], ['aws', 2], ['github', 3], ['sk-api-key', 4], ['sk-api-key', 5], ['privatekey', 6]])
    for (const f of found) expect(Object.keys(f).sort()).toEqual(['end', 'line', 'rule', 'start'])
    const r = await redact(text)
    expect(leaked(r.text)).toBeNull()
    expect(r.text).toContain('token [redacted:github].')
    expect(r.text.split('\n')[0]).toBe('aws id [redacted:aws]')
  })

  it('cannot be switched off by a secretlint-disable comment in the scanned text', async () => {
    const text = `// secretlint-disable\nconst k = "${fake.github()}" // secretlint-disable-line\n`
    expect((await redact(text)).text).not.toContain(fake.github().slice(4, 16))
  })

  it('leaves ordinary text alone: no false positives on look-alikes', async () => {
    const text = [
      'const token = getToken(req)', 'MAX_TOKENS=4096', 'TOKENIZER_PATH=/usr/share/gpt2/model1', 'PWD=/home/user/project1/src',
      '<div class="sk-spinner-double-bounce-container">', 'SECRET_KEY=changeme', 'commit 3f2a9b1c4d5e6f708192a3b4c5d6e7f8091a2b3c',
      '"input_tokens": 1234567890123', 'export API_KEY=$OPENAI_API_KEY', 'a task-list-item-with-many-words-in-it',
    ].join('\n')
    expect(await scanText(text)).toEqual([])
    expect((await redact(text)).text).toBe(text)
  })

  it('finds secrets assigned to secret-named fields in .env, JSON and YAML', async () => {
    const v = 'q8Wd3Lz0Kp5Xr2Tn'
    for (const line of [`DATABASE_PASSWORD=${v}`, `export STRIPE_SECRET="${v}"`, `{"client_secret": "${v}"}`, `password: '${v}'`]) {
      const r = await redact(line)
      expect(r.text, line).not.toContain(v)
      expect(r.text).toMatch(/\[redacted:[a-z-]+\]/)
    }
  })

  it('handles a large text in one pass', async () => {
    const big = 'let x = 1 // ordinary code\n'.repeat(100_000) + `key ${fake.github()}\n`
    const found = await scanText(big)
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({rule: 'github', line: 100_001})
  })
})

describe('redactJsonl', () => {
  it('redacts inside JSON strings so every line still parses, including escaped keys and PEM blocks', async () => {
    const lines = [
      {role: 'user', content: 'read my .env'},
      {role: 'tool', tool_call_id: 'c1', content: `cat .env\n${fake.awsSecretLine()}\n${fake.pem()}`},
      {role: 'assistant', content: 'done', tool_calls: [{id: 'c2', function: {name: 'bash', arguments: JSON.stringify({command: `curl -H "Authorization: token ${fake.github()}"`})}}]},
      {'AWS_SECRET_ACCESS_KEY': fake.awsSecretLine().split('=')[1]},
      {['__proto__']: `x ${fake.openai()}`, n: 1},
    ]
    // A JSON-escaped key (\u0041 for A) is found in the decoded string too.
    const escaped = JSON.stringify({role: 'tool', content: `id ${fake.awsId()}`}).replace(fake.awsId().slice(0, 1), '\\u0041')
    const chat = lines.map((m) => JSON.stringify(m)).join('\n') + '\n' + escaped + '\nnot json ' + fake.github() + '\n'
    const r = await redactJsonl(chat)
    expect(leaked(r.text)).toBeNull()
    const out = r.text.split('\n')
    expect(out).toHaveLength(chat.split('\n').length)
    const parsed = out.slice(0, 6).map((l) => JSON.parse(l))
    expect(parsed[0]).toEqual(lines[0])
    expect(parsed[1].content).toContain('[redacted:privatekey]')
    expect(JSON.parse(parsed[2].tool_calls[0].function.arguments).command).toBe('curl -H "Authorization: token [redacted:github]"')
    expect(parsed[3]).toEqual({AWS_SECRET_ACCESS_KEY: '[redacted:aws]'})
    expect(Object.getPrototypeOf(parsed[4])).toBe(Object.prototype)
    expect(parsed[5].content).toBe('id [redacted:aws]')
    expect(out[6]).toBe('not json [redacted:github]')
    expect(r.findings.map((f) => f.line)).toEqual(expect.arrayContaining([2, 3, 4, 5, 6, 7]))
  })

  it('returns a chat without secrets byte for byte', async () => {
    const chat = '{"role":"user","content":"hi"}\n{"role":"assistant","content":"hello \\"you\\""}\n'
    expect(await redactJsonl(chat)).toEqual({text: chat, findings: []})
  })
})

describe('redactYaml', () => {
  it('keeps the YAML valid and the same shape: a marker never turns a value into a list', async () => {
    const YAML = await import('yaml')
    const yaml = `# note ${fake.awsId()}\ntask: use ${fake.github()}\nkey: ${fake.openai()}\nsteps:\n  - description: |\n${fake.pem().split('\n').map((l) => `      ${l}`).join('\n')}\n    check: "curl -H 'x: ${fake.github()}'"\n`
    const r = await redactYaml(yaml, 'plan.yaml')
    expect(leaked(r.text)).toBeNull()
    const doc = YAML.parse(r.text)
    expect(doc).toMatchObject({task: 'use [redacted:github]', key: '[redacted:sk-api-key]'})
    expect(doc.steps[0].check).toBe("curl -H 'x: [redacted:github]'")
    expect(doc.steps[0].description).toContain('[redacted:privatekey]')
  })

  it('returns YAML without secrets unchanged, and redacts YAML that does not parse as text', async () => {
    const clean = 'task: add auth\nsteps: []\n'
    expect(await redactYaml(clean)).toEqual({text: clean, findings: []})
    const broken = `task: [unclosed ${fake.github()}\n`
    expect(leaked((await redactYaml(broken)).text)).toBeNull()
  })
})

describe('isSecretFileName', () => {
  it('names the usual credential files, and not their public or template siblings', () => {
    for (const p of ['.env', '.env.local', 'app/.env.production.local', 'prod.env', 'server.pem', 'tls/site.key', 'id_rsa', 'keys/id_ed25519', 'deploy_ed25519', 'cert.p12', 'cert.PFX', '.npmrc', '.netrc', 'credentials.json', 'gcp/credentials-prod.json', '.aws/credentials', 'client_secret_123.json', 'secrets.yaml', '.git-credentials']) {
      expect(isSecretFileName(p), p).toBe(true)
    }
    for (const p of ['id_rsa.pub', '.env.example', '.env.sample', '.env.template', 'env.ts', 'src/id_utils.ts', 'keyboard.ts', 'credentials.ts', 'README.md', 'environment.yml', 'monkey.js']) {
      expect(isSecretFileName(p), p).toBe(false)
    }
  })
})
