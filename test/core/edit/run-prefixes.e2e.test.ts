import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {formatLine} from '../../../src/core/tools/anchors.js'
import {turn} from '../../support/model-server.js'
import {runCliAsync} from '../../support/repo.js'
import {scopedRepo, scopedServer} from '../../support/scoped.js'

const PY = 'def greet(name):\n    if name:\n        return "hi " + name\n    return "hi"\n'

describe('git pare run: a model that copies N#hash: prefixes into old_str', () => {
  it('gets its edit applied (needs a build: PARE_BUILD_LENIENT=1 npm run build)', async () => {
    const root = scopedRepo({'greet.py': PY})
    const lines = PY.split('\n')
    const copied = [2, 3].map((n) => formatLine(n, lines[n - 1]!)).join('\n')
    const rewritten = `${formatLine(2, lines[1]!)}\n3#0000:        return "hello " + name`
    const server = await scopedServer([
      turn.tools([{name: 'read_file', args: {path: 'greet.py'}}]),
      turn.tools([{name: 'edit_file', args: {path: 'greet.py', old_str: copied, new_str: rewritten}}]),
      turn.text('Changed the greeting.'),
    ])
    const res = await runCliAsync(['run', 'say hello instead of hi', '--base-url', server.url, '--model', 'scripted-model', '--no-hooks'], {cwd: root})
    expect(res.stderr).not.toMatch(/Error: /)
    expect(readFileSync(path.join(root, 'greet.py'), 'utf8')).toBe(PY.replace('"hi " + name', '"hello " + name'))
    const third = server.chatRequests()[2]!.body as {messages: {role: string; content: string}[]}
    const toolMsg = third.messages.filter((m) => m.role === 'tool').at(-1)!
    expect(toolMsg.content).toMatch(/^edited greet\.py: now lines 2-3 \(matched when ignoring line-number prefixes\)/)
  })
})
