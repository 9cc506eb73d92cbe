import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type ScriptedServer} from '../support/model-server.js'
import {projectRoot, removeDir, runCliAsync, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// `git pare setup` on a real terminal (tmux): two loopback "servers" stand in for Ollama and LM Studio on the ports
// setup probes (PARECODE_SETUP_PORTS), one provider key is in the environment, and the provider's address is a third
// loopback server (PARECODE_SETUP_OPENAI_BASE_URL), so the test request never leaves this machine.
const hasTmux = spawnSync('tmux', ['-V']).status === 0
const KEY = 'sk-test-0123456789abcdefghijklmnop'

const tmux = (args: string[]): string => spawnSync('tmux', args, {encoding: 'utf8'}).stdout
const screen = (s: string): string => tmux(['capture-pane', '-p', '-J', '-S', '-200', '-t', s])
const keys = (s: string, ...k: string[]) => spawnSync('tmux', ['send-keys', '-t', s, ...k])

async function waitFor(check: () => boolean, what: string, show?: () => string): Promise<void> {
  // Generous for a busy 2-core machine; the loop ends as soon as the screen shows it.
  for (let i = 0; i < 1200; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}${show ? `\n--- screen ---\n${show()}` : ''}`)
}

async function servers(): Promise<{ollama: ScriptedServer; studio: ScriptedServer; provider: ScriptedServer}> {
  const ollama = await scopedServer(() => turn.text('ok'), {ollama: {models: [{name: 'qwen3:8b', contextLength: 40_960}, {name: 'tiny:1b', contextLength: 8192}, {name: 'nomic-embed-text'}]}})
  const studio = await scopedServer(() => turn.text('ok'), {models: ['local-coder']})
  const provider = await scopedServer(() => turn.text('ok'), {models: ['gpt-4.1-mini']})
  return {ollama, studio, provider}
}

function start(opts: {home: string; cwd: string; env: string; args: string; name: string}): {show: () => string; doneFile: string; session: string} {
  const done = path.join(opts.home, `exit-code-${opts.name}`)
  const session = `pare-setup-${opts.name}-${process.pid}`
  const env = `HOME=${opts.home} XDG_CONFIG_HOME=${opts.home}/.config XDG_STATE_HOME=${opts.home}/.local/state PARECODE_NO_OLLAMA_PROBE=1 PARECODE_SETUP_PROBE_MS=20000 GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@e GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e ${opts.env}`
  const unset = ['OPENAI_API_KEY', 'OPENROUTER_API_KEY', 'ANTHROPIC_API_KEY', 'DEEPSEEK_API_KEY', 'GROQ_API_KEY', 'MISTRAL_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY', 'PARECODE_API_KEY', 'PARECODE_BASE_URL', 'PARECODE_MODEL', 'PARECODE_PROFILE'].map((k) => `-u ${k}`).join(' ')
  const cmd = `cd ${opts.cwd} && env ${unset} ${env} ${process.execPath} ${path.join(projectRoot, 'bin/run.js')} ${opts.args}; echo $? > ${done}; sleep 60`
  spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '50', cmd])
  onTestFinished(() => void spawnSync('tmux', ['kill-session', '-t', session]))
  return {show: () => screen(session), doneFile: done, session}
}

describe.skipIf(!hasTmux)('git pare setup on a terminal', {timeout: 300_000}, () => {
  it('lists both servers and the key, writes the picked profile without the key, and the test request answers', async () => {
    const {ollama, studio, provider} = await servers()
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const env = `PARECODE_SETUP_PORTS=Ollama=${ollama.port},LM-Studio=${studio.port} OPENAI_API_KEY=${KEY} PARECODE_SETUP_OPENAI_BASE_URL=${provider.url}`
    const {show, doneFile, session} = start({home, cwd: home, env, args: 'setup', name: 'pick'})

    await waitFor(() => show().includes('Which model should git pare use?'), 'the picker', show)
    const s = show()
    expect(s).toContain(`found Ollama at ${ollama.url}: 3 models`)
    expect(s).toContain(`found LM-Studio at ${studio.url}: 1 model`)
    expect(s).toContain('found $OPENAI_API_KEY: OpenAI')
    expect(s).toMatch(/warning: tiny:1b on Ollama has a 8192-token context, below the 16384/)
    expect(s).toMatch(/qwen3:8b\s+·\s+Ollama\s+·\s+tools, 40k context/)
    expect(s).not.toContain('nomic-embed-text')
    expect(s).not.toContain(KEY)
    // qwen3:8b, local-coder, tiny:1b (too small: after the roomy ones), then OpenAI
    for (let i = 0; i < 3; i++) keys(session, 'Down')
    await waitFor(() => /❯ gpt-4\.1-mini\s+·\s+OpenAI\s+·\s+key in \$OPENAI_API_KEY/.test(show()), 'the cursor on OpenAI', show)
    keys(session, 'Enter')
    await waitFor(() => existsSync(doneFile), 'the end of setup', show)
    expect(show()).toMatch(/✓ gpt-4\.1-mini answered "ok" in [\d.]+s: git pare is ready/)
    expect(readFileSync(doneFile, 'utf8').trim()).toBe('0')

    const file = path.join(home, '.config/parecode/config.yaml')
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(KEY)
    expect(text).toContain('profile: openai')
    expect(text).toContain(`base_url: ${provider.url}`)
    expect(text).toContain('model: "gpt-4.1-mini"')
    expect(text).toMatch(/api_key_env: OPENAI_API_KEY\s+# the NAME of the variable/)
    expect(text).toMatch(/^# git pare user configuration, written by `git pare setup`/)
    // The request went to the provider's (loopback) address with the key from the environment, and only there.
    expect(provider.chatRequests()).toHaveLength(1)
    expect(provider.chatRequests()[0]!.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(ollama.chatRequests()).toHaveLength(0)
    expect(studio.chatRequests()).toHaveLength(0)

    // What setup wrote is what every command now resolves.
    const cfg = await runCliAsync(['config', '--json'], {cwd: home, env: {HOME: home, OPENAI_API_KEY: KEY}})
    const values = JSON.parse(cfg.stdout).result.values as {key: string; value: unknown}[]
    expect(values.find((v) => v.key === 'base_url')?.value).toBe(provider.url)
    expect(values.find((v) => v.key === 'model')?.value).toBe('gpt-4.1-mini')
  })

  it('adds to an existing config (other settings and comments kept, a backup made), after asking', async () => {
    const {ollama, studio} = await servers()
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const file = path.join(home, '.config/parecode/config.yaml')
    mkdirSync(path.dirname(file), {recursive: true})
    const before = '# my own notes\nprofile: work\nprofiles:\n  work:\n    base_url: http://127.0.0.1:9/v1 # the office box\n    model: big\ntelemetry: false\n'
    writeFileSync(file, before)
    const {show, doneFile, session} = start({home, cwd: home, env: `PARECODE_SETUP_PORTS=Ollama=${ollama.port},LM-Studio=${studio.port}`, args: 'setup', name: 'merge'})
    await waitFor(() => show().includes('Which model should git pare use?'), 'the picker', show)
    keys(session, 'Enter')
    await waitFor(() => show().includes('exists: add profile "ollama" and select it?'), 'the question about the existing file', show)
    keys(session, 'Enter')
    await waitFor(() => existsSync(doneFile), 'the end of setup', show)
    expect(readFileSync(doneFile, 'utf8').trim()).toBe('0')
    expect(show()).toContain('replaces "work" as the selected profile')
    expect(show()).toMatch(/✓ qwen3:8b answered "ok"/)
    const text = readFileSync(file, 'utf8')
    expect(text).toContain('# my own notes')
    expect(text).toContain('base_url: http://127.0.0.1:9/v1 # the office box')
    expect(text).toContain('telemetry: false')
    expect(text).toContain('profile: ollama')
    expect(text).toContain(`base_url: ${ollama.url}`)
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(before)
    expect(ollama.chatRequests()).toHaveLength(1)
  })

  it('run in a fresh repository offers setup, then goes on with the task', async () => {
    const {ollama} = await servers()
    const root = scopedRepo({'README.md': '# demo\n'})
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const {show, doneFile, session} = start({home, cwd: root, env: `PARECODE_SETUP_PORTS=Ollama=${ollama.port}`, args: 'run "say ok"', name: 'offer'})
    await waitFor(() => show().includes('No model is configured yet'), 'the offer', show)
    await waitFor(() => show().includes('Which model should git pare use?'), 'the picker', show)
    keys(session, 'Enter')
    await waitFor(() => existsSync(doneFile), 'the end of the run', show)
    expect(readFileSync(doneFile, 'utf8').trim()).toBe('0')
    // the test request, then the run's own request
    expect(ollama.chatRequests().length).toBeGreaterThanOrEqual(2)
    expect(readFileSync(path.join(home, '.config/parecode/config.yaml'), 'utf8')).toContain('profile: ollama')
  })
  it('chat in a fresh repository offers setup before its prompt, then the prompt works', async () => {
    const {ollama} = await servers()
    const root = scopedRepo({'README.md': '# demo\n'})
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const {show, doneFile, session} = start({home, cwd: root, env: `PARECODE_SETUP_PORTS=Ollama=${ollama.port}`, args: 'chat', name: 'chat'})
    await waitFor(() => show().includes('Which model should git pare use?'), 'the picker', show)
    keys(session, 'Enter')
    await waitFor(() => show().includes('git pare is ready') && show().split('\n').filter((l) => l.trim()).at(-1)?.trim() === '›', 'the chat prompt', show)
    spawnSync('tmux', ['send-keys', '-t', session, '-l', 'say ok'])
    keys(session, 'Enter')
    await waitFor(() => show().includes('turn 1 ·'), 'the first turn', show)
    spawnSync('tmux', ['send-keys', '-t', session, '-l', '/exit'])
    keys(session, 'Enter')
    await waitFor(() => existsSync(doneFile), 'the exit', show)
    expect(readFileSync(doneFile, 'utf8').trim()).toBe('0')
    expect(ollama.chatRequests().length).toBeGreaterThanOrEqual(2)
  })
})
