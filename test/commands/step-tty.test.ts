import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {projectRoot, removeDir, runCliAsync, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// git pare on a real terminal (tmux): listr2 draws the steps, and a question is asked when a task looks like a
// mistyped subcommand.
const hasTmux = spawnSync('tmux', ['-V']).status === 0

const PLAN = {task: 'shout', steps: [{description: 'Shout a', instruction: 'Uppercase a.txt', files: ['a.txt'], verify: {type: 'file_changed', path: 'a.txt'}, tool_budget: 3}]}

const screen = (session: string) => spawnSync('tmux', ['capture-pane', '-p', '-J', '-t', session], {encoding: 'utf8'}).stdout

async function waitFor(check: () => boolean, what: string): Promise<void> {
  // Generous for a busy machine; the loop ends as soon as the screen shows it.
  for (let i = 0; i < 1800; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

async function setup() {
  let fixed = false
  const policy = (r: RecordedRequest): Turn => {
    const msgs = r.body.messages as Array<{role: string; content: string | null}>
    if (String(msgs[0]?.content).startsWith('You plan code changes')) return turn.text(JSON.stringify(PLAN))
    if (msgs.some((m) => m.role === 'tool')) return turn.text('done')
    // Until fixed, the model writes the file as it already is: a step that changes nothing.
    return turn.tools([{name: 'write_file', args: {path: 'a.txt', content: fixed ? 'A\n' : 'a\n', overwrite: true}}])
  }
  const root = scopedRepo({'a.txt': 'a\n'})
  const server = await scopedServer(policy)
  const home = tempDir('pare-home-')
  onTestFinished(() => removeDir(home))
  const vars = {HOME: home, XDG_CONFIG_HOME: `${home}/.config`, XDG_STATE_HOME: `${home}/.local/state`, PARECODE_NO_OLLAMA_PROBE: '1', PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'm', PARECODE_API_KEY: 'k', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', TERM: 'xterm-256color'}
  const pare = (...args: string[]) => runCliAsync(args, {cwd: root, env: vars, timeoutMs: 300_000})
  let n = 0
  /** Run git pare in a tmux terminal (no NO_COLOR: the listr2 renderer); resolves with the session and where its exit status lands. */
  const onTerminal = (args: string[]) => {
    const session = `pare-step-tty-${process.pid}-${n++}`
    const done = path.join(home, `exit-${n}`)
    const env = Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join(' ')
    const cmd = `cd '${root}' && env -u NO_COLOR -u CI ${env} '${process.execPath}' '${path.join(projectRoot, 'bin/run.js')}' ${args.map((a) => `'${a}'`).join(' ')}; echo $? > '${done}'; sleep 120`
    spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '60', cmd])
    onTestFinished(() => {
      spawnSync('tmux', ['kill-session', '-t', session])
    })
    return {session, done, exit: () => readFileSync(done, 'utf8').trim()}
  }
  return {root, server, pare, onTerminal, fix: () => (fixed = true)}
}

describe.skipIf(!hasTmux)('git pare step on a terminal', () => {
  it('a failed step ends ✖, never ✔, and its tool and verify lines stay on screen; a passing one ends ✔', async () => {
    const {pare, onTerminal, fix} = await setup()
    expect((await pare('plan', 'shout', '--yes', '--no-hooks')).code).toBe(0)
    const failing = onTerminal(['step', '--no-hooks'])
    await waitFor(() => existsSync(failing.done), 'the failed step to end')
    expect(failing.exit()).toBe('1')
    const shown = screen(failing.session)
    expect(shown).toMatch(/✖ step 1 \(retry\): Shout a \[m\]/)
    expect(shown).not.toMatch(/✔/)
    expect(shown).toContain('step 1 failed its check')
    expect(shown.match(/· write_file: replaced a\.txt/g)?.length).toBe(2)
    expect(shown.match(/✗ verify: file_changed a\.txt: no/g)?.length).toBe(2)
    expect(shown).toContain('plan paused at step 1')
    fix()
    const passing = onTerminal(['step', '--no-hooks'])
    await waitFor(() => existsSync(passing.done), 'the passing step to end')
    expect(passing.exit()).toBe('0')
    const ok = screen(passing.session)
    expect(ok).toMatch(/✔ step 1: Shout a \[m\]/)
    expect(ok).not.toMatch(/✖/)
  }, 600_000)

  it('a one-word task near a subcommand asks "did you mean"; y runs that subcommand, n plans the word as a task', async () => {
    const {server, pare, onTerminal} = await setup()
    expect((await pare('plan', 'shout', '--no-hooks')).code).toBe(0)
    const planned = server.chatRequests().length
    const yes = onTerminal(['plan', 'shw'])
    await waitFor(() => screen(yes.session).includes('[y/N]'), 'the question')
    expect(screen(yes.session)).toContain('did you mean `git pare plan show`? [y/N]')
    spawnSync('tmux', ['send-keys', '-t', yes.session, 'y', 'Enter'])
    await waitFor(() => existsSync(yes.done), 'plan show to end')
    expect(yes.exit()).toBe('0')
    expect(screen(yes.session)).toMatch(/plan [\w-]+ · draft · 1 steps/)
    expect(server.chatRequests()).toHaveLength(planned)
    const no = onTerminal(['plan', 'shw', '--no-hooks'])
    await waitFor(() => screen(no.session).includes('[y/N]'), 'the question')
    spawnSync('tmux', ['send-keys', '-t', no.session, 'n', 'Enter'])
    await waitFor(() => existsSync(no.done), 'planning to end')
    expect(no.exit()).toBe('0')
    expect(server.chatRequests()).toHaveLength(planned + 1)
  }, 600_000)
})
