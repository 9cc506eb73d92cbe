import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {projectRoot, removeDir, runCliAsync, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// `git pare chat` on a real terminal (tmux) against the loopback model: typing, streaming, slash commands,
// Ctrl+C, @ completion and /exit, as a user sees them.
const hasTmux = spawnSync('tmux', ['-V']).status === 0

const tmux = (args: string[]): string => spawnSync('tmux', args, {encoding: 'utf8'}).stdout
const screen = (s: string): string => tmux(['capture-pane', '-p', '-J', '-S', '-200', '-t', s])
const keys = (s: string, ...k: string[]) => spawnSync('tmux', ['send-keys', '-t', s, ...k])
/** Literal text (no key names). */
const type = (s: string, text: string) => spawnSync('tmux', ['send-keys', '-t', s, '-l', text])

async function waitFor(check: () => boolean, what: string, show?: () => string): Promise<void> {
  // Generous for a busy 2-core machine; the loop ends as soon as the screen shows it.
  for (let i = 0; i < 1200; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}${show ? `\n--- screen ---\n${show()}` : ''}`)
}

type Msg = {role: string; content: string | null}
const lastUser = (r: RecordedRequest): string => [...(r.body.messages as Msg[])].reverse().find((m) => m.role === 'user')?.content ?? ''

/** Answers by what the last user message asks: write, slow, attached, or plain markdown. */
function policy(r: RecordedRequest): Turn {
  const msgs = r.body.messages as Msg[]
  const last = msgs[msgs.length - 1]!
  const ask = lastUser(r)
  if (last.role === 'tool') return turn.text('Wrote **notes.txt** for you.\n\n- first point\n- second point\n')
  // Later turns carry the earlier ones in their context: the most specific ask first.
  if (ask.includes('Attached file src/util.ts')) return turn.text('It exports `answer`.')
  if (ask.includes('be slow')) return {...turn.text('Thinking it over.\n\nThis part never arrives in time.'), textChunk: 20, stallMs: 120_000, stallAfter: 3}
  if (ask.includes('rewrite')) return turn.tools([{name: 'write_file', args: {path: 'notes.txt', content: 'changed\n', overwrite: true}}])
  return turn.text('Still here, same session.')
}

describe.skipIf(!hasTmux)('git pare chat on a terminal', {timeout: 300_000}, () => {
  it('streams answers, /diff and /undo, Ctrl+C a slow turn, @ completion, /exit 0', async () => {
    const src = 'line one\r\nline two\n\u00e9t\u00e9\n'
    const root = scopedRepo({'notes.txt': src, 'src/util.ts': 'export const answer = 42\n'})
    const server = await scopedServer(policy)
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const session = `pare-chat-${process.pid}`
    const done = path.join(home, 'exit-code')
    const env = `HOME=${home} XDG_STATE_HOME=${home}/.local/state XDG_CONFIG_HOME=${home}/.config PARECODE_NO_OLLAMA_PROBE=1 PARECODE_BASE_URL=${server.url} PARECODE_MODEL=scripted-model PARECODE_API_KEY=test-key GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@e GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e`
    const cmd = `cd ${root} && env -u OPENAI_API_KEY -u OPENROUTER_API_KEY ${env} ${process.execPath} ${path.join(projectRoot, 'bin/run.js')} chat; echo $? > ${done}; sleep 60`
    spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '60', cmd])
    onTestFinished(() => void spawnSync('tmux', ['kill-session', '-t', session]))
    const show = () => screen(session)
    /** How many prompts the screen shows, when the last line is an empty prompt (0 while a turn runs). */
    const prompts = () => {
      const lines = show().split('\n').filter((l) => l.trim())
      return lines.at(-1)?.trim() === '›' ? lines.filter((l) => l.startsWith('›')).length : 0
    }

    await waitFor(() => prompts() === 1, 'the prompt', show)

    // a task: one tool line, the streamed (rendered) answer, the status line
    type(session, 'rewrite the notes')
    keys(session, 'Enter')
    await waitFor(() => show().includes('turn 1 ·'), 'the first turn', show)
    expect(show()).toContain('· write_file:')
    expect(show()).toContain('Wrote notes.txt for you.')
    expect(show()).toMatch(/first point/)
    expect(show()).not.toContain('**notes.txt**')
    expect(show()).toMatch(/turn 1 · \d+ in \/ \d+ out \(session \d+ \/ \d+\) · \$0\.00 \(session \$0\.00\) · 1 file changed · 1 tool call · checkpoint \d+ \(\/diff \d+, \/undo\)/)
    expect(readFileSync(path.join(root, 'notes.txt'), 'utf8')).toBe('changed\n')

    // /diff, then /undo: the file is back byte for byte
    await waitFor(() => prompts() === 2, 'the prompt after the turn', show)
    type(session, '/diff')
    keys(session, 'Enter')
    await waitFor(() => show().includes('+changed'), 'the diff', show)
    type(session, '/undo')
    keys(session, 'Enter')
    await waitFor(() => show().includes('git pare redo'), 'the undo', show)
    expect(readFileSync(path.join(root, 'notes.txt'))).toEqual(Buffer.from(src))

    // a slow turn: its first block shows, Ctrl+C cancels it, the prompt comes back
    await waitFor(() => prompts() === 4, 'the prompt after /undo', show)
    type(session, 'please be slow')
    keys(session, 'Enter')
    await waitFor(() => show().includes('Thinking it over.'), 'the start of the slow answer', show)
    keys(session, 'C-c')
    await waitFor(() => show().includes('interrupted ·') && prompts() === 5, 'the interruption and the prompt', show)

    // @ completes a tracked path (Tab), and the file goes with the turn
    type(session, 'what does @src/ut')
    keys(session, 'Tab')
    await waitFor(() => show().includes('what does @src/util.ts'), 'the completion', show)
    type(session, ' export?')
    keys(session, 'Enter')
    await waitFor(() => show().includes('It exports answer.'), 'the answer about the attached file', show)
    expect(lastUser(server.chatRequests().at(-1)!)).toContain('Attached file src/util.ts:\n```\nexport const answer = 42\n```')

    // the session went on through the Ctrl+C: one session, its turns in order, the slow one's checkpoint kept
    await waitFor(() => prompts() === 6, 'the prompt after the attachment', show)
    type(session, '/exit')
    keys(session, 'Enter')
    await waitFor(() => existsSync(done), 'the exit', show)
    expect(readFileSync(done, 'utf8').trim()).toBe('0')
    const list = JSON.parse((await runCliAsync(['session', 'list', '--json'], {cwd: root, env: {HOME: home}})).stdout).result
    expect(list).toHaveLength(1)
    expect(list[0].turns).toBe(3)
    const log = (await runCliAsync(['log'], {cwd: root, env: {HOME: home}})).stdout
    expect(log).toContain('please be slow')
    // history is kept in the git dir, not the work tree
    expect(readFileSync(path.join(root, '.git/parecode/chat-history'), 'utf8')).toContain('"rewrite the notes"')
  })

  it('a paste of several lines and a trailing backslash are one input each; a turn that fails is one error and the chat goes on', async () => {
    const root = scopedRepo({'README.md': '# demo\n'})
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const session = `pare-chat-${process.pid}-p`
    const done = path.join(home, 'exit-p')
    // No model configured: each turn fails with one line, which is all this needs.
    const cmd = `cd ${root} && env -u OPENAI_API_KEY -u OPENROUTER_API_KEY -u PARECODE_BASE_URL -u PARECODE_MODEL HOME=${home} XDG_STATE_HOME=${home}/.local/state XDG_CONFIG_HOME=${home}/.config PARECODE_NO_OLLAMA_PROBE=1 ${process.execPath} ${path.join(projectRoot, 'bin/run.js')} chat; echo $? > ${done}; sleep 60`
    spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '40', cmd])
    onTestFinished(() => void spawnSync('tmux', ['kill-session', '-t', session]))
    const show = () => screen(session)
    const errors = () => show().split('\n').filter((l) => l.startsWith('error:')).length
    await waitFor(() => show().includes('› '), 'the prompt', show)
    // tmux sends the buffer as a bracketed paste (-p) since chat asked for it
    spawnSync('tmux', ['set-buffer', '-b', `pare-${process.pid}`, 'pasted one\npasted two'])
    spawnSync('tmux', ['paste-buffer', '-p', '-d', '-b', `pare-${process.pid}`, '-t', session])
    await waitFor(() => show().includes('… pasted two'), 'the pasted lines', show)
    keys(session, 'Enter')
    await waitFor(() => errors() === 1, 'the error of the first turn', show)
    type(session, 'joined \\')
    keys(session, 'Enter')
    type(session, 'over two lines')
    keys(session, 'Enter')
    await waitFor(() => errors() === 2, 'the error of the second turn', show)
    keys(session, 'C-d')
    await waitFor(() => existsSync(done), 'the exit', show)
    expect(readFileSync(done, 'utf8').trim()).toBe('0')
    const history = readFileSync(path.join(root, '.git/parecode/chat-history'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(history).toEqual(['pasted one\npasted two', 'joined \nover two lines'])
  })

  it('Ctrl+C twice at an empty prompt leaves, and so does Ctrl+D', async () => {
    const root = scopedRepo({'README.md': '# demo\n'})
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    for (const [n, how] of [['c', ['C-c', 'C-c']], ['d', ['C-d']]] as const) {
      const session = `pare-chat-${process.pid}-${n}`
      const done = path.join(home, `exit-${n}`)
      const cmd = `cd ${root} && HOME=${home} XDG_STATE_HOME=${home}/.local/state XDG_CONFIG_HOME=${home}/.config PARECODE_NO_OLLAMA_PROBE=1 ${process.execPath} ${path.join(projectRoot, 'bin/run.js')} chat; echo $? > ${done}; sleep 60`
      spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '40', cmd])
      onTestFinished(() => void spawnSync('tmux', ['kill-session', '-t', session]))
      await waitFor(() => screen(session).includes('› '), 'the prompt', () => screen(session))
      keys(session, how[0])
      if (how.length > 1) {
        await waitFor(() => screen(session).includes('Ctrl+C again'), 'the first Ctrl+C', () => screen(session))
        keys(session, how[1]!)
      }
      await waitFor(() => existsSync(done), 'the exit', () => screen(session))
      expect(readFileSync(done, 'utf8').trim()).toBe('0')
    }
  })
})
