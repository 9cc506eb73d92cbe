import {describe, expect, it} from 'vitest'
import {parseConfigText} from '../../../src/core/config/file.js'
import type {ConfigFile} from '../../../src/core/config/types.js'
import {mcpItems} from '../../../src/core/mcp/approval.js'
import {resolveMcp} from '../../../src/core/mcp/config.js'
import {resultText} from '../../../src/core/mcp/content.js'
import {firstSentence, leanSchema} from '../../../src/core/mcp/lean-schema.js'
import {wireName} from '../../../src/core/mcp/names.js'
import {makeRepo, removeDir} from '../../support/repo.js'

const F = '~/.config/parecode/config.yaml'
const parse = (text: string) => parseConfigText(text, F)

describe('mcp_servers in config', () => {
  it('accepts stdio and HTTP entries with every option', async () => {
    const s = await parse(
      [
        'mcp_schema_budget: 1500',
        'mcp_servers:',
        '  everything: {command: node, args: [server.js, stdio, 3000], env: {NAME: value}, env_pass: [GITHUB_TOKEN], tools: [echo], timeout_ms: 5000, routes: [deep]}',
        '  docs:',
        '    url: "http://127.0.0.1:3001/mcp"',
        '    enabled: false',
      ].join('\n'),
    )
    expect(s.mcp_schema_budget).toBe(1500)
    expect(s.mcp_servers).toEqual({
      everything: {command: 'node', args: ['server.js', 'stdio', '3000'], env: {NAME: 'value'}, env_pass: ['GITHUB_TOKEN'], tools: ['echo'], timeout_ms: 5000, routes: ['deep']},
      docs: {url: 'http://127.0.0.1:3001/mcp', enabled: false},
    })
  })

  it.each([
    ['an unknown key', 'mcp_servers:\n  x:\n    comand: node\n', `${F}:3: unknown key "mcp_servers.x.comand"; did you mean "command"?`],
    ['a bad timeout', 'mcp_servers:\n  x:\n    command: node\n    timeout_ms: -5\n', `${F}:4: mcp_servers.x.timeout_ms must be at least 1`],
    ['args that are not a list', 'mcp_servers:\n  x:\n    command: node\n    args: server.js\n', `${F}:4: mcp_servers.x.args must be a list, like [a, b]`],
    ['neither command nor url', 'mcp_servers:\n  x:\n    enabled: true\n', `${F}:3: mcp_servers.x: an MCP server needs \`command\` (a stdio server) or \`url\` (streamable HTTP)`],
    ['both command and url', 'mcp_servers:\n  x: {command: node, url: "http://127.0.0.1:1/mcp"}\n', `${F}:2: mcp_servers.x: an MCP server has either \`command\` (stdio) or \`url\` (streamable HTTP), not both`],
    ['a bad url', 'mcp_servers:\n  x: {url: "ftp://host/mcp"}\n', `${F}:2: url must be an http(s) URL, like http://127.0.0.1:3001/mcp`],
    ['a name with a dot', 'mcp_servers:\n  my.server: {command: node}\n', `${F}:2: mcp_servers: "my.server" is not a usable server name: letters, digits, - and _ (no __), at most 32 characters`],
    ['a bad env name', 'mcp_servers:\n  x:\n    command: node\n    env: {"A-B": 1}\n', `${F}:4: mcp_servers.x.env: "A-B" is not an environment variable name`],
    ['a secret in env', 'mcp_servers:\n  x:\n    command: node\n    env: {TOKEN: sk-abcdefghijklmnopqrstuvwxyz}\n', `${F}:4: mcp_servers.x.env.TOKEN looks like an API key: keys are never read from config files`],
    ['a bad route', 'mcp_servers:\n  x: {command: node, routes: [fast]}\n', `${F}:2: mcp_servers.x.routes[0] must be one of: quick, standard, deep`],
    ['a bad budget', 'mcp_schema_budget: lots\n', `${F}:1: mcp_schema_budget must be a number`],
  ])('%s is a file:line error', async (_what, text, message) => {
    await expect(parse(text)).rejects.toThrow(message)
  })
})

const file = (scope: 'user' | 'repo', text: Record<string, unknown>): ConfigFile => ({scope, path: '/x', display: scope === 'user' ? F : '.parecode/config.yaml', source: `${scope}:${scope === 'user' ? F : '.parecode/config.yaml'}`, settings: text})

describe('resolveMcp', () => {
  it('puts the user first, keeps the user entry on a clash, and drops a repository URL off this machine', () => {
    const warnings: string[] = []
    const s = resolveMcp(
      [
        file('repo', {mcp_servers: {mine: {command: 'evil'}, local: {url: 'http://localhost:4000/mcp'}, far: {url: 'https://mcp.example.com/'}, tool: {command: 'node', args: ['t.js']}}, mcp_schema_budget: 900}),
        file('user', {mcp_servers: {mine: {command: 'node', args: ['s.js']}}}),
      ],
      warnings,
    )
    expect(s.servers.map((x) => [x.name, x.fromRepo, x.transport])).toEqual([
      ['mine', false, 'stdio'],
      ['local', true, 'http'],
      ['tool', true, 'stdio'],
    ])
    expect(s.servers[0]!.command).toBe('node')
    expect(s.schemaBudget).toBe(900)
    expect(warnings).toHaveLength(2)
    expect(warnings.join('\n')).toMatch(/ignored mcp_servers\.far in \.parecode\/config\.yaml: a repository may name only an MCP server on this machine/)
  })

  it('defaults: 2000 tokens, 30 s calls, 10 s start', () => {
    const s = resolveMcp([file('user', {mcp_servers: {a: {command: 'x'}}})])
    expect(s).toMatchObject({schemaBudget: 2000, schemaBudgetSource: 'default'})
    expect(s.servers[0]).toMatchObject({timeoutMs: 30_000, startTimeoutMs: 10_000, enabled: true})
  })
})

describe('lean schemas, names and result text', () => {
  it('trims noise and keeps what a call needs', () => {
    const raw = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      title: 'Args',
      additionalProperties: false,
      properties: {
        title: {type: 'string', title: 'Title', description: 'The title of the page. Longer text follows here.', default: 'x', examples: ['a']},
        mode: {type: 'string', enum: ['a', 'b']},
        nested: {type: 'object', additionalProperties: false, properties: {n: {type: 'number', default: 3}}},
      },
      required: ['title'],
    }
    expect(leanSchema(raw)).toEqual({
      type: 'object',
      properties: {title: {type: 'string', description: 'The title of the page.'}, mode: {type: 'string', enum: ['a', 'b']}, nested: {type: 'object', properties: {n: {type: 'number'}}}},
      required: ['title'],
    })
    expect(leanSchema(undefined)).toEqual({type: 'object', properties: {}})
    expect(firstSentence('Reads a file.\nMore.', 100)).toBe('Reads a file.')
    expect(firstSentence('x'.repeat(200), 20)).toHaveLength(20)
  })

  it('wire names stay provider-safe, at most 64 characters, and unique', () => {
    const taken = new Set<string>()
    expect(wireName('docs', 'search', taken)).toBe('docs__search')
    expect(wireName('docs', 'search.v2', taken)).toBe('docs__search_v2')
    expect(wireName('docs', 'search_v2', taken)).toBe('docs__search_v2_2')
    const long = wireName('docs', 'a'.repeat(100), taken)
    expect(long).toMatch(/^docs__a+_[0-9a-f]{6}$/)
    expect(long.length).toBe(64)
  })

  it('images, audio and resources become one line each', () => {
    expect(
      resultText({
        content: [
          {type: 'text', text: 'hi'},
          {type: 'image', data: 'AAAA', mimeType: 'image/png'},
          {type: 'audio', data: 'AAA=', mimeType: 'audio/wav'},
          {type: 'resource', resource: {uri: 'file:///a.bin', mimeType: 'application/gzip', blob: 'AAAAAA=='}},
          {type: 'resource', resource: {uri: 'file:///a.txt', text: 'body'}},
          {type: 'resource_link', uri: 'test://1', name: 'one'},
        ],
      }),
    ).toBe('hi\n[image image/png, 3 bytes]\n[audio audio/wav, 2 bytes]\n[resource file:///a.bin application/gzip, 4 bytes]\n[resource file:///a.txt]\nbody\n[resource link test://1 (one)]')
    expect(resultText({content: [], structuredContent: {t: 1}})).toBe('{"t":1}')
    expect(resultText({})).toBe('(no output)')
  })

  it("a repository server's approval covers its entry and the script it runs, and says which of your variables it gets", () => {
    const root = makeRepo({'srv.js': 'console.log(1)\n'})
    try {
      const [item] = mcpItems(root, {gh: {command: 'node', args: ['srv.js'], env_pass: ['GITHUB_TOKEN']}})
      expect(item).toMatchObject({key: 'mcp:gh', kind: 'mcp', why: 'runs `node srv.js` as an MCP server, given your $GITHUB_TOKEN'})
      expect(item!.content).toBe('mcp_servers.gh: {"args":["srv.js"],"command":"node","env_pass":["GITHUB_TOKEN"]}\n--- srv.js\nconsole.log(1)\n')
    } finally {
      removeDir(root)
    }
  })
})
