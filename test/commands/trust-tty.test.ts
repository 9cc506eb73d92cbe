import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {projectRoot, removeDir, tempDir} from '../support/repo.js'
import {scopedRepo} from '../support/scoped.js'

// The approval question on a real terminal (tmux): y approves, Ctrl+C interrupts, and what is shown is escaped.
const hasTmux = spawnSync('tmux', ['-V']).status === 0

function tmux(args: string[]): string {
  return spawnSync('tmux', args, {encoding: 'utf8'}).stdout
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  // Generous for a busy 2-core machine; the loop ends as soon as the screen shows it.
  for (let i = 0; i < 600; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe.skipIf(!hasTmux)('git pare trust on a terminal', () => {
  const start = (root: string, home: string, session: string) => {
    const done = path.join(home, 'exit-code')
    const cmd = `cd ${root} && HOME=${home} XDG_STATE_HOME=${home}/.local/state XDG_CONFIG_HOME=${home}/.config PARECODE_NO_OLLAMA_PROBE=1 NO_COLOR=1 ${process.execPath} ${path.join(projectRoot, 'bin/run.js')} trust; echo $? > ${done}; sleep 30`
    spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', cmd])
    onTestFinished(() => {
      spawnSync('tmux', ['kill-session', '-t', session])
    })
    return done
  }

  it('asks, and y approves exactly what was shown', async () => {
    const root = scopedRepo({'.parecode/config.yaml': 'hooks:\n  on_edit: "make check\\r\\x1b]0;title\\x07"\n'})
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const session = `pare-trust-${process.pid}-a`
    const done = start(root, home, session)
    await waitFor(() => tmux(['capture-pane', '-p', '-t', session]).includes('[y/N]'), 'the question')
    const screen = tmux(['capture-pane', '-p', '-t', session])
    expect(screen).toContain('make check\\r\\e]0;title\\x07')
    spawnSync('tmux', ['send-keys', '-t', session, 'y', 'Enter'])
    await waitFor(() => existsSync(done), 'the exit')
    expect(readFileSync(done, 'utf8').trim()).toBe('0')
    expect(tmux(['capture-pane', '-p', '-t', session])).toContain('approved .parecode/config.yaml')
  })

  it('Ctrl+C at the question interrupts and approves nothing', async () => {
    const root = scopedRepo({'.parecode/config.yaml': 'profiles:\n  p:\n    model: m\n'})
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const session = `pare-trust-${process.pid}-b`
    const done = start(root, home, session)
    await waitFor(() => tmux(['capture-pane', '-p', '-t', session]).includes('[y/N]'), 'the question')
    spawnSync('tmux', ['send-keys', '-t', session, 'C-c'])
    await waitFor(() => existsSync(done), 'the exit')
    expect(readFileSync(done, 'utf8').trim()).toBe('130')
    expect(existsSync(path.join(home, '.local/state/parecode/approvals'))).toBe(false)
  })
})
