import {spawn, spawnSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest'
import {isNewer, updateCheckWanted} from '../../../src/core/update/policy.js'
import {readUpdateState, updateStatePath, writeUpdateState} from '../../../src/core/update/state.js'
import {makeRepo, projectRoot, removeDir, runCli, tempDir} from '../../support/repo.js'

const hasTmux = spawnSync('tmux', ['-V']).status === 0
const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {version: string}

/** A stub npm registry on loopback: answers `/git-pare/latest`, or holds the request open when told to hang. */
function stubRegistry(answer: {version?: string; hang?: boolean; status?: number}): Promise<{url: string; hits: string[]; server: Server}> {
  const hits: string[] = []
  const server = createServer((req, res) => {
    hits.push(req.url ?? '')
    if (answer.hang) return
    res.writeHead(answer.status ?? 200, {'content-type': 'application/json'})
    res.end(JSON.stringify({name: 'git-pare', version: answer.version}))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, hits, server})))
}

/** Whether a process with this argument is running (read from /proc: no pgrep needed). */
function running(arg: string): boolean {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(arg)) return true
    } catch {
      // gone meanwhile
    }
  }
  return false
}

/** The file a shell wrote `echo $? > file` into, once it holds the code (it exists a moment before it does). */
const written = (file: string) => existsSync(file) && readFileSync(file, 'utf8').trim() !== ''

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('update check policy', () => {
  it('only for a person at a terminal, never in CI, with NO_UPDATE_NOTIFIER, --json, the version or completions', () => {
    expect(updateCheckWanted({}, ['log'], true)).toBe(true)
    expect(updateCheckWanted({}, ['log'], false)).toBe(false)
    expect(updateCheckWanted({CI: 'true'}, ['log'], true)).toBe(false)
    expect(updateCheckWanted({CI: 'false'}, ['log'], true)).toBe(true)
    expect(updateCheckWanted({GITHUB_ACTIONS: 'true'}, ['log'], true)).toBe(false)
    expect(updateCheckWanted({NO_UPDATE_NOTIFIER: ''}, ['log'], true)).toBe(false)
    expect(updateCheckWanted({}, ['log', '--json'], true)).toBe(false)
    expect(updateCheckWanted({}, ['-v'], true)).toBe(false)
    expect(updateCheckWanted({}, ['__complete', 'plans'], true)).toBe(false)
    expect(updateCheckWanted({}, ['mcp'], true)).toBe(false)
  })

  it('newer means a higher plain release; pre-releases and junk never are', () => {
    expect(isNewer('0.2.0', '0.1.0')).toBe(true)
    expect(isNewer('0.10.0', '0.9.9')).toBe(true)
    expect(isNewer('0.1.0', '0.1.0')).toBe(false)
    expect(isNewer('0.0.9', '0.1.0')).toBe(false)
    expect(isNewer('1.0.0-beta.1', '0.1.0')).toBe(false)
    expect(isNewer('\u001b[31m9.9.9', '0.1.0')).toBe(false)
    expect(isNewer('0.1.0', '0.1.0-rc.1')).toBe(false)
  })

  it('the state file survives junk and keeps only a short version string', () => {
    const dir = tempDir('pare-update-')
    onTestFinished(() => removeDir(dir))
    const file = updateStatePath({XDG_STATE_HOME: dir})
    expect(readUpdateState(file)).toBeUndefined()
    writeUpdateState(file, {checked_at: 5, latest: '1.2.3'})
    expect(readUpdateState(file)).toEqual({checked_at: 5, latest: '1.2.3'})
    writeFileSync(file, '{not json')
    expect(readUpdateState(file)).toBeUndefined()
  })
})

describe('update check against a stub registry', {timeout: 180_000}, () => {
  let repo: string
  beforeAll(() => {
    repo = makeRepo()
  })
  afterAll(() => removeDir(repo))

  it('the detached worker records the registry\'s latest version, and only a version', async () => {
    const reg = await stubRegistry({version: '99.0.0'})
    onTestFinished(() => void reg.server.close())
    const dir = tempDir('pare-update-')
    onTestFinished(() => removeDir(dir))
    const file = path.join(dir, 'state.json')
    // Asynchronously: the stub answers from this process's event loop.
    const child = spawn(process.execPath, [path.join(projectRoot, 'dist/core/update/worker.js'), 'git-pare', file], {env: {...process.env, PARECODE_UPDATE_REGISTRY: reg.url}, stdio: 'ignore'})
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0)
    expect(reg.hits).toEqual(['/git-pare/latest'])
    expect(readUpdateState(file)).toMatchObject({latest: '99.0.0'})
  })

  it('piped output never asks the registry', async () => {
    const reg = await stubRegistry({version: '99.0.0'})
    onTestFinished(() => void reg.server.close())
    const dir = tempDir('pare-update-')
    onTestFinished(() => removeDir(dir))
    const env = {XDG_STATE_HOME: dir, PARECODE_UPDATE_REGISTRY: reg.url, CI: '', NODE_ENV: '', NO_UPDATE_NOTIFIER: undefined}
    expect(runCli(['log'], {cwd: repo, env}).code).toBe(0)
    expect(reg.hits).toEqual([])
    expect(existsSync(updateStatePath({XDG_STATE_HOME: dir}))).toBe(false)
  })

  it.skipIf(!hasTmux)('on a terminal: a hanging registry never delays the command; a day later a newer version is told once per command', async () => {
    const hanging = await stubRegistry({hang: true})
    onTestFinished(() => void hanging.server.close())
    const dir = tempDir('pare-update-')
    onTestFinished(() => removeDir(dir))
    const file = updateStatePath({XDG_STATE_HOME: dir})
    const session = `pare-update-${process.pid}`
    const run = (registry: string, tag: string) => {
      const done = path.join(dir, `${tag}.done`)
      const cmd = `cd ${repo} && env -u NO_UPDATE_NOTIFIER -u CI -u NODE_ENV XDG_STATE_HOME=${dir} PARECODE_UPDATE_REGISTRY=${registry} ${process.execPath} ${path.join(projectRoot, 'bin/run.js')} log; echo $? > ${done}`
      spawnSync('tmux', ['new-window', '-t', session, cmd])
      return done
    }
    spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', 'sleep 300'])
    onTestFinished(() => void spawnSync('tmux', ['kill-session', '-t', session]))

    // The registry never answers: the command ends anyway, and the check it started is recorded.
    const first = run(hanging.url, 'first')
    await until(() => written(first), 'the first command to end')
    expect(readFileSync(first, 'utf8').trim()).toBe('0')
    await until(() => hanging.hits.length === 1, 'the detached check to reach the registry')
    expect(readUpdateState(file)?.latest).toBeUndefined()

    // A check made within the day is not repeated.
    const second = run(hanging.url, 'second')
    await until(() => written(second), 'the second command to end')
    expect(hanging.hits.length).toBe(1)

    // The hanging check gives up (its connection dropped) and records itself; only then is the clock moved.
    hanging.server.closeAllConnections()
    await until(() => !running(file), 'the first check to end')

    // A day later, a registry with a newer version: the next command's check records it, and the one after tells.
    const newer = await stubRegistry({version: '99.0.0'})
    onTestFinished(() => void newer.server.close())
    writeUpdateState(file, {checked_at: Date.now() - 25 * 60 * 60 * 1000})
    const third = run(newer.url, 'third')
    await until(() => written(third) && readUpdateState(file)?.latest === '99.0.0', 'the newer version to be recorded')
    const done = path.join(dir, 'fourth.done')
    const cmd = `cd ${repo} && env -u NO_UPDATE_NOTIFIER -u CI -u NODE_ENV XDG_STATE_HOME=${dir} PARECODE_UPDATE_REGISTRY=${newer.url} ${process.execPath} ${path.join(projectRoot, 'bin/run.js')} log; echo $? > ${done}; sleep 120`
    spawnSync('tmux', ['new-window', '-t', session, '-n', 'fourth', cmd])
    await until(() => written(done), 'the fourth command to end')
    expect(readFileSync(done, 'utf8').trim()).toBe('0')
    expect(newer.hits.length).toBe(1)
    expect(pkg.version).not.toBe('99.0.0')
    const screen = spawnSync('tmux', ['capture-pane', '-p', '-J', '-t', `${session}:fourth`], {encoding: 'utf8'}).stdout
    expect(screen).toContain(`git-pare 99.0.0 is available (you have ${pkg.version})`)
  })
})
