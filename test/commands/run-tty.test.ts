import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn} from '../support/model-server.js'
import {projectRoot, removeDir, runCliAsync, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// `git pare run` on a real terminal (tmux): a spinner while the model is awaited, one line per tool call, the answer
// as it streams; piped, the same run prints plain lines only.
const hasTmux = spawnSync('tmux', ['-V']).status === 0
const tmux = (args: string[]): string => spawnSync('tmux', args, {encoding: 'utf8'}).stdout
const screen = (s: string): string => tmux(['capture-pane', '-p', '-J', '-S', '-200', '-t', s])

async function waitFor(check: () => boolean, what: string, show?: () => string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}${show ? `\n--- screen ---\n${show()}` : ''}`)
}

const SRC = 'export const greeting = "hi"\n'
const edit = {name: 'edit_file', args: {path: 'src/a.ts', old_str: '"hi"', new_str: '"hello"'}}
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] scripted-model · request 1 · /
// The server holds the first answer back (the spinner shows meanwhile), and the second halfway (what came is shown).
const script = () => [
  {...turn.tools([edit]), stallMs: 8000, stallAfter: 0},
  {...turn.text('Changed the greeting.\n\nThe rest of the answer arrives later.'), textChunk: 12, stallMs: 8000, stallAfter: 3},
]

describe.skipIf(!hasTmux)('git pare run on a terminal', {timeout: 300_000}, () => {
  it('spins while waiting, prints one line per tool call, and streams the answer', async () => {
    const root = scopedRepo({'src/a.ts': SRC})
    const server = await scopedServer(script())
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const session = `pare-run-${process.pid}`
    const done = path.join(home, 'exit-code')
    const env = `HOME=${home} XDG_STATE_HOME=${home}/.local/state XDG_CONFIG_HOME=${home}/.config PARECODE_NO_OLLAMA_PROBE=1 PARECODE_BASE_URL=${server.url} PARECODE_MODEL=scripted-model PARECODE_API_KEY=test-key GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@e GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e`
    const cmd = `cd ${root} && env -u NO_COLOR -u OPENAI_API_KEY ${env} ${process.execPath} ${path.join(projectRoot, 'bin/run.js')} run --no-hooks "say hello"; echo $? > ${done}; sleep 60`
    spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '50', cmd])
    onTestFinished(() => void spawnSync('tmux', ['kill-session', '-t', session]))
    const show = () => screen(session)

    await waitFor(() => SPINNER.test(show()), 'the spinner while the first answer is held back', show)
    await waitFor(() => /✓ edit_file edited src\/a\.ts/.test(show()), 'the tool-call line', show)
    // the second answer's first words are on screen while the server still holds its rest back
    await waitFor(() => show().includes('Changed the greeting.'), 'the streamed start of the answer', show)
    expect(show()).not.toContain('arrives later')
    await waitFor(() => existsSync(done), 'the run to end', show)
    expect(readFileSync(done, 'utf8').trim()).toBe('0')
    const final = show()
    expect(final).toContain('The rest of the answer arrives later.')
    // the answer is shown once (streamed), and the spinner is gone
    expect(final.split('Changed the greeting.').length).toBe(2)
    expect(final).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/)
    expect(final).toMatch(/1 file changed · 1 tool call · \d+ in \/ \d+ out tokens · \$0\.00 · session /)
  })

  it('piped: no spinner or colour, plain tool lines, the answer once on stdout, -v reasoning ends its own line', async () => {
    const root = scopedRepo({'src/a.ts': SRC})
    const server = await scopedServer([turn.tools([edit]), {...turn.reasoning('weighing the options', 'Changed it.'), reasoningAs: 'reasoning_content'}])
    const res = await runCliAsync(['run', '--no-hooks', '-v', 'say hello'], {cwd: root, env: {PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test-key'}})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toBe('Changed it.\n')
    expect(res.stderr).toContain('✓ edit_file edited src/a.ts')
    expect(res.stderr).toContain('weighing the options\n')
    expect(res.stderr).not.toMatch(/[\r\x1b]|[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/)
    expect(res.stderr).toMatch(/^1 file changed · 1 tool call · /m)
  })
})
