import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn} from '../support/model-server.js'
import {projectRoot, removeDir, tempDir, writeFiles} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// A slow hook on a real terminal (tmux): a spinner with its name while it runs, one result line after.
const hasTmux = spawnSync('tmux', ['-V']).status === 0
const pane = (session: string) => spawnSync('tmux', ['capture-pane', '-p', '-t', session], {encoding: 'utf8'}).stdout

async function waitFor(check: () => boolean, what: string): Promise<void> {
  // Generous for a busy 2-core machine; the loop ends as soon as the screen shows it.
  for (let i = 0; i < 1200; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe.skipIf(!hasTmux)('hooks on a terminal', () => {
  it('a slow on_task_done hook shows a spinner with its name, then its result', async () => {
    const root = scopedRepo({'a.txt': 'x\n'})
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const flag = path.join(home, 'go')
    // The hook waits until the test has seen the spinner (a file it creates), so no timing is assumed.
    writeFiles(home, {'.config/parecode/config.yaml': `hooks:\n  on_task_done: "while [ ! -e ${flag} ]; do sleep 0.1; done"\n`})
    const server = await scopedServer([turn.text('done')])
    const done = path.join(home, 'exit-code')
    const session = `pare-hook-${process.pid}`
    const cmd = `cd ${root} && HOME=${home} XDG_STATE_HOME=${home}/.local/state XDG_CONFIG_HOME=${home}/.config PARECODE_NO_OLLAMA_PROBE=1 PARECODE_BASE_URL=${server.url} PARECODE_MODEL=m PARECODE_API_KEY=k ${process.execPath} ${path.join(projectRoot, 'bin/run.js')} run "do it"; echo $? > ${done}; sleep 30`
    spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', cmd])
    onTestFinished(() => void spawnSync('tmux', ['kill-session', '-t', session]))

    await waitFor(() => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] on_task_done: while \[/.test(pane(session)), 'the spinner')
    writeFiles(home, {go: ''})
    await waitFor(() => existsSync(done), 'the run to end')
    expect(readFileSync(done, 'utf8').trim()).toBe('0')
    const screen = pane(session)
    expect(screen).toMatch(/✓ on_task_done: while \[ .* \(\d+\.\ds\)/)
    expect(screen).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] on_task_done/)
  }, 600_000)
})
