import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type ScriptedServer} from '../support/model-server.js'
import {gitEnv, projectRoot, removeDir, runCliAsync, sh, tempDir, type CliResult} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// `git pare chat` without a terminal: turns come from stdin, one per line, against the loopback model.

const env = (server: ScriptedServer) => ({PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test-key'})

/** The CLI with `input` on stdin (runCliAsync closes stdin at once). */
function chat(args: string[], opts: {cwd: string; env: NodeJS.ProcessEnv; input: string; home: string}): Promise<CliResult> {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    ...gitEnv,
    HOME: opts.home,
    XDG_CONFIG_HOME: path.join(opts.home, '.config'),
    XDG_STATE_HOME: path.join(opts.home, '.local/state'),
    NO_COLOR: '1',
    PARECODE_NO_OLLAMA_PROBE: '1',
    ...opts.env,
  }
  for (const k of ['OPENAI_API_KEY', 'OPENROUTER_API_KEY']) delete e[k]
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin/run.js'), 'chat', ...args], {cwd: opts.cwd, env: e})
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.stdin.end(opts.input)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code: code ?? 1, stdout, stderr})
    })
  })
}

function home(): string {
  const h = tempDir('pare-home-')
  onTestFinished(() => removeDir(h))
  return h
}

type Msg = {role: string; content: string | null}
const userText = (r: RecordedRequest): string => (r.body.messages as Msg[]).filter((m) => m.role === 'user').map((m) => m.content ?? '').join('\n')

describe('git pare chat (stdin)', {timeout: 240_000}, () => {
  it('two turns are two commits of one session; a bad slash command is one error line and the chat goes on; --continue resumes', async () => {
    const root = scopedRepo({'README.md': '# demo\n'})
    const server = await scopedServer([
      turn.tools([{name: 'write_file', args: {path: 'a.txt', content: 'one\n'}}]),
      turn.text('Wrote a.txt.'),
      turn.tools([{name: 'write_file', args: {path: 'b.txt', content: 'two\n'}}]),
      turn.text('Wrote b.txt.'),
      turn.text('Both files are there.'),
    ])
    const h = home()
    const res = await chat([], {cwd: root, env: env(server), home: h, input: 'write a\n/undoo\nwrite b\n'})
    expect(res.stdout).toContain('Wrote a.txt.')
    expect(res.stdout).toContain('Wrote b.txt.')
    // the typo: one line and a hint, then the next turn ran
    const errors = res.stderr.split('\n').filter((l) => l.startsWith('error:'))
    expect(errors).toEqual(['error: unknown command /undoo (did you mean /undo?)'])
    expect(res.code).toBe(2)
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\n')
    expect(readFileSync(path.join(root, 'b.txt'), 'utf8')).toBe('two\n')
    // one session, two turns, two commits
    const list = JSON.parse((await runCliAsync(['session', 'list', '--json'], {cwd: root, env: {HOME: h}})).stdout).result
    expect(list).toHaveLength(1)
    expect(list[0].turns).toBe(2)
    const ref = sh(root, ['for-each-ref', '--format=%(refname)', 'refs/parecode/sessions/'])
    expect(sh(root, ['rev-list', '--count', ref])).toBe('2')
    expect(res.stderr).toMatch(/turn 1 · .* in \/ .* out \(session .*\) · \$0\.00 \(session \$0\.00\) · 1 file changed/)
    expect(res.stderr).toMatch(/turn 2 · /)
    // the second turn saw the first one
    expect(userText(server.chatRequests()[2]!)).toContain('write a')

    // --continue: a third turn of the same session, with the conversation
    const again = await chat(['--continue'], {cwd: root, env: env(server), home: h, input: 'are both there?\n'})
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain('Both files are there.')
    const body = userText(server.chatRequests()[4]!)
    expect(body).toContain('write b')
    const list2 = JSON.parse((await runCliAsync(['session', 'list', '--json'], {cwd: root, env: {HOME: h}})).stdout).result
    expect(list2).toHaveLength(1)
    expect(list2[0].turns).toBe(3)
    expect(sh(root, ['fsck', '--no-progress'])).toBe('')
  })

  it('slash commands print what the CLI prints: /diff, then /undo restores the file byte for byte', async () => {
    const src = 'line one\r\nline two\n\u00e9\n'
    const root = scopedRepo({'notes.txt': src})
    const server = await scopedServer([turn.tools([{name: 'write_file', args: {path: 'notes.txt', content: 'changed\n', overwrite: true}}]), turn.text('Rewrote notes.txt.')])
    const h = home()
    const res = await chat([], {cwd: root, env: env(server), home: h, input: 'rewrite notes\n/diff\n/undo\n/status\n/help\n'})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toContain('+changed')
    expect(res.stdout).toContain('/approve')
    expect(res.stdout).toContain('work tree: clean')
    expect(readFileSync(path.join(root, 'notes.txt'), 'utf8')).toBe(src)
  })

  it('--json: one object per turn, snake_case, with the session', async () => {
    const root = scopedRepo({'README.md': '# demo\n'})
    const server = await scopedServer([turn.text('first'), turn.text('second')])
    const res = await chat(['--json', '--no-hooks'], {cwd: root, env: env(server), home: home(), input: 'one\ntwo\n'})
    expect(res.code, res.stderr).toBe(0)
    const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toHaveLength(2)
    expect(lines.map((l) => l.result.answer)).toEqual(['first', 'second'])
    expect(lines[0].status).toBe(0)
    expect(lines[1].result.session.id).toBe(lines[0].result.session.id)
    expect(lines[1].result.session_tokens.input).toBeGreaterThan(lines[0].result.tokens.input)
    for (const l of lines) for (const k of Object.keys(l.result)) expect(k).toMatch(/^[a-z][a-z0-9_]*$/)
    // no turn at all: still one envelope
    const none = await chat(['--json'], {cwd: root, env: env(server), home: home(), input: ''})
    expect(none.code, none.stderr).toBe(0)
    expect(JSON.parse(none.stdout)).toEqual({status: 0, result: {turns: 0, session: null}, warnings: []})
  })

  it('@path attaches a tracked file to the turn; a missing one is a note', async () => {
    const root = scopedRepo({'src/util.ts': 'export const answer = 42\n'})
    const server = await scopedServer([turn.text('It exports answer.')])
    const res = await chat([], {cwd: root, env: env(server), home: home(), input: 'what does @src/util.ts export? see also @nope/x.ts\n'})
    expect(res.code, res.stderr).toBe(0)
    const sent = userText(server.chatRequests()[0]!)
    expect(sent).toContain('Attached file src/util.ts:\n```\nexport const answer = 42\n```')
    expect(sent).not.toContain('Attached file nope')
    expect(res.stderr).toContain('note: @nope/x.ts: no such file in the repository (sent as text)')
  })

  it('/compact and /clear change what the next turn sees, in the same session; /model switches; /cost; a bad /profile is one error', async () => {
    const root = scopedRepo({'README.md': '# demo\n'})
    const server = await scopedServer((r) => turn.text(`Answer about ${[...(r.body.messages as Msg[])].reverse().find((m) => m.role === 'user')?.content?.split(' ').at(-1)}.`))
    const input = ['tell me about apples', '/compact', 'and pears', '/clear', 'now plums', '/model other-model', '/profile nope', 'and figs', '/cost', ''].join('\n')
    const res = await chat(['--no-hooks'], {cwd: root, env: env(server), home: home(), input})
    const reqs = server.chatRequests()
    expect(reqs).toHaveLength(4)
    // after /compact: the earlier turn is one line under the compact note, not the whole exchange
    const second = userText(reqs[1]!)
    expect(second).toContain('(/compact: the earlier turns of this session, one line each)')
    expect(second).toMatch(/- User: tell me about apples → Answer about apples\./)
    // after /clear: nothing of before
    const third = userText(reqs[2]!)
    expect(third).not.toContain('apples')
    expect(third).not.toContain('pears')
    expect(third).toContain('now plums')
    expect(reqs[3]!.body.model).toBe('other-model')
    expect(userText(reqs[3]!)).toContain('now plums')
    expect(res.stderr).toContain('now using profile default, model other-model for the next turns')
    expect(res.stderr.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1)
    expect(res.stderr).toMatch(/error: .*nope/)
    expect(res.stdout).toMatch(/4 turns · \d+ tokens in \/ \d+ out · \$0\.00/)
    const list = JSON.parse((await runCliAsync(['session', 'list', '--json'], {cwd: root})).stdout).result
    expect(list).toHaveLength(1)
    expect(list[0].turns).toBe(4)
  })

  it('usage errors: --continue with --session, --continue with no session', async () => {
    const root = scopedRepo({'README.md': '# demo\n'})
    const server = await scopedServer([turn.text('x')])
    const both = await chat(['--continue', '--session', 'x'], {cwd: root, env: env(server), home: home(), input: ''})
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('error: --continue and --session cannot be used together')
    const none = await chat(['--continue'], {cwd: root, env: env(server), home: home(), input: 'hi\n'})
    expect(none.code).toBe(2)
    expect(none.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual(['error: there is no session to continue'])
  })
})
