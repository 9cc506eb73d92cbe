import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {formatLine} from '../../../src/core/tools/anchors.js'
import {startScriptedServer, turn, type ScriptedServer} from '../../support/model-server.js'
import {gitEnv, makeRepo, projectRoot, removeDir, tempDir} from '../../support/repo.js'

// runCli is synchronous, which would block the in-process model server: spawn the built CLI instead.
function runCliAsync(args: string[], cwd: string): Promise<{code: number; stdout: string; stderr: string}> {
  const home = tempDir('pare-home-')
  const env: NodeJS.ProcessEnv = {...process.env, ...gitEnv, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), NO_COLOR: '1', PARECODE_NO_OLLAMA_PROBE: '1'}
  for (const k of ['OPENAI_API_KEY', 'OPENROUTER_API_KEY', 'PARECODE_API_KEY', 'PARECODE_BASE_URL', 'PARECODE_MODEL']) delete env[k]
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin/run.js'), ...args], {cwd, env})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => {
      removeDir(home)
      resolve({code: code ?? 1, stdout, stderr})
    })
  })
}

const PY = 'def greet(name):\n    if name:\n        return "hi " + name\n    return "hi"\n'
let server: ScriptedServer | undefined
let root: string | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
  if (root) removeDir(root)
  root = undefined
})

describe('git pare run: a model that copies N#hash: prefixes into old_str', () => {
  it('gets its edit applied (needs a build: PARE_BUILD_LENIENT=1 npm run build)', async () => {
    root = makeRepo({'greet.py': PY})
    const lines = PY.split('\n')
    const copied = [2, 3].map((n) => formatLine(n, lines[n - 1]!)).join('\n')
    const rewritten = `${formatLine(2, lines[1]!)}\n3#0000:        return "hello " + name`
    server = await startScriptedServer([
      turn.tools([{name: 'read_file', args: {path: 'greet.py'}}]),
      turn.tools([{name: 'edit_file', args: {path: 'greet.py', old_str: copied, new_str: rewritten}}]),
      turn.text('Changed the greeting.'),
    ])
    const res = await runCliAsync(['run', 'say hello instead of hi', '--base-url', server.url, '--model', 'scripted-model', '--no-hooks'], root)
    expect(res.stderr).not.toMatch(/Error: /)
    expect(readFileSync(path.join(root, 'greet.py'), 'utf8')).toBe(PY.replace('"hi " + name', '"hello " + name'))
    const third = server.chatRequests()[2]!.body as {messages: {role: string; content: string}[]}
    const toolMsg = third.messages.filter((m) => m.role === 'tool').at(-1)!
    expect(toolMsg.content).toMatch(/^edited greet\.py: now lines 2-3 \(matched when ignoring line-number prefixes\)/)
  })
})
