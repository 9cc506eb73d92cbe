import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import Ajv from 'ajv'
import {describe, expect, it} from 'vitest'
import {projectRoot, runCliAsync, tempDir} from '../support/repo.js'
import {scopedRepo} from '../support/scoped.js'
import {startEverythingHttp} from '../core/mcp/support.js'

const EVERYTHING = path.join(projectRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js')

function userConfig(home: string, text: string): void {
  mkdirSync(path.join(home, '.config/parecode'), {recursive: true})
  writeFileSync(path.join(home, '.config/parecode/config.yaml'), text)
}

const CONFIG = `mcp_schema_budget: 3000
mcp_servers:
  everything: {command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(EVERYTHING)}, stdio]}
  dead: {command: ${JSON.stringify(process.execPath)}, args: [-e, "process.exit(3)"]}
  off: {command: nothing, enabled: false}
`

describe('git pare mcp list', () => {
  it('shows each server, whether it starts, its tools and their token cost; --json matches its schema', async () => {
    const root = scopedRepo()
    const home = tempDir('pare-home-')
    userConfig(home, CONFIG)
    const res = await runCliAsync(['mcp', 'list', '--json'], {cwd: root, env: {HOME: home}, timeoutMs: 180_000})
    expect(res.code, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout)
    const schema = JSON.parse(readFileSync(path.join(projectRoot, 'schemas/mcp-list.json'), 'utf8'))
    const ajv = new Ajv({allErrors: true, strict: true, allowUnionTypes: true})
    const valid = ajv.compile(schema)
    expect(valid(out), ajv.errorsText(valid.errors)).toBe(true)
    const [everything, dead, off] = out.result.servers
    expect(everything).toMatchObject({name: 'everything', transport: 'stdio', state: 'started', offered: true, reason: null})
    expect(everything.tools.map((t: {wire_name: string}) => t.wire_name)).toContain('everything__echo')
    expect(everything.tokens).toBeGreaterThan(0)
    // trimming saves tokens on server-everything's zod-generated schemas
    expect(everything.raw_tokens).toBeGreaterThan(everything.tokens)
    expect(everything.tools.reduce((n: number, t: {tokens: number}) => n + t.tokens, 0)).toBe(everything.tokens)
    expect(dead).toMatchObject({state: 'failed', reason: 'it exited before answering', tools: []})
    expect(off).toMatchObject({state: 'disabled', enabled: false})
    expect(out.result).toMatchObject({schema_budget: 3000, offered_tokens: everything.tokens})

    const text = await runCliAsync(['mcp', 'list'], {cwd: root, env: {HOME: home}, timeoutMs: 180_000})
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^everything {2}stdio /m)
    expect(text.stdout).toMatch(/^ {2}\d+ tools, \d+ tokens \(raw \d+\)$/m)
    expect(text.stdout).toMatch(/^ {4}everything__echo +\d+ tokens$/m)
    expect(text.stdout).toMatch(/^ {2}failed: it exited before answering$/m)
    expect(text.stdout).toMatch(/offered to run and chat: \d+ of mcp_schema_budget 3000 tokens/)

    // git pare config shows the same cost
    const config = await runCliAsync(['config', '--json'], {cwd: root, env: {HOME: home, PARECODE_BASE_URL: 'http://127.0.0.1:9/v1', PARECODE_MODEL: 'm'}, timeoutMs: 180_000})
    expect(config.code, config.stderr).toBe(0)
    const rows = JSON.parse(config.stdout).result.values as {key: string; value: string}[]
    expect(rows.find((r) => r.key === 'mcp_servers.everything')?.value).toBe(`stdio, ${everything.tools.length} tools, ${everything.tokens} tokens (raw ${everything.raw_tokens})`)
    expect(rows.find((r) => r.key === 'mcp_schema_budget')?.value).toBe(`${everything.tokens} of 3000 tokens used`)
  }, 300_000)

  it('a streamable HTTP server (server-everything in its HTTP mode on 127.0.0.1) is listed with its tools', async () => {
    const http = await startEverythingHttp()
    try {
      const root = scopedRepo()
      const home = tempDir('pare-home-')
      userConfig(home, `mcp_servers:\n  web: {url: "${http.url}", tools: [echo, get-sum]}\n`)
      const res = await runCliAsync(['mcp', 'list', '--json'], {cwd: root, env: {HOME: home}, timeoutMs: 180_000})
      expect(res.code, res.stderr).toBe(0)
      const [web] = JSON.parse(res.stdout).result.servers
      expect(web).toMatchObject({name: 'web', transport: 'http', target: http.url, state: 'started', offered: true})
      expect(web.tools.map((t: {wire_name: string}) => t.wire_name)).toEqual(['web__echo', 'web__get-sum'])
    } finally {
      http.stop()
    }
  }, 300_000)

  it('an unknown key in an entry is a file:line error (exit 2)', async () => {
    const root = scopedRepo()
    const home = tempDir('pare-home-')
    userConfig(home, 'mcp_servers:\n  docs:\n    comand: node\n')
    const res = await runCliAsync(['mcp', 'list'], {cwd: root, env: {HOME: home}})
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/config\.yaml:3: unknown key "mcp_servers\.docs\.comand"; did you mean "command"\?/)
  }, 120_000)

  it('with no servers it says how to add one', async () => {
    const res = await runCliAsync(['mcp', 'list'], {cwd: scopedRepo()})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toMatch(/no MCP servers configured/)
  }, 120_000)
})
