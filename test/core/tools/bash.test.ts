import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import bash, {scrubEnv} from '../../../src/core/tools/bash.js'
import {capOutput, cleanOutput, MAX_OUTPUT_LINES} from '../../../src/core/tools/bash-output.js'
import {makeRepo, removeDir} from '../../support/repo.js'
import {makeCtx} from './helpers.js'
import {alive} from '../../support/process.js'

const root = makeRepo({'README.md': '# demo\n'})
afterAll(() => removeDir(root))

const run = (args: Parameters<typeof bash.run>[0], over = {}) => bash.run(args, makeCtx(root, over))
// The kill tests read host pids from files, so they run outside the sandbox (whose pid namespace has its own pids);
// test/core/sandbox/ covers killing inside it.
const HOST = {bash: {sandbox: false, approval: 'auto' as const}}


// Generous on a busy machine: nothing is timed, a process only has to be gone eventually.
async function waitGone(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a pid: ${pid}`)
  for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100))
  return !alive(pid)
}

/** The pid a command wrote: the file exists as soon as the shell opens it, before `echo` has written the number. */
async function pidIn(file: string): Promise<void> {
  for (let i = 0; i < 300 && !(existsSync(file) && /^\d+\s*$/.test(readFileSync(file, 'utf8'))); i++) await new Promise((res) => setTimeout(res, 50))
}

describe('bash', () => {
  it('runs in the repository root and reports the exit code', async () => {
    const r = await run({command: 'pwd; ls'})
    expect(r.content).toBe(`${root}\nREADME.md\n[exit code 0]`)
    expect(r.ok).toBe(true)
    expect(r.summary).toBe('bash "pwd; ls": exit code 0, 2 lines')
  })

  it('returns a failing command as data with its exit code and stderr', async () => {
    const r = await run({command: 'echo out; echo "error: boom" >&2; exit 3'})
    expect(r.ok).toBe(false)
    expect(r.content).toBe('out\nerror: boom\n[exit code 3]')
    expect((await run({command: 'true'})).content).toBe('(no output)\n[exit code 0]')
  })

  it('kills the whole process group on timeout, grandchildren included', async () => {
    const pidFile = path.join(root, 'grandchild.pid')
    const r = await run({command: `bash -c 'sleep 60 & echo $! > ${pidFile}; wait' ; echo never`, timeout: 1}, HOST)
    expect(r.content).toBe('(no output)\n[timed out after 1s; process group killed]')
    expect(r.ok).toBe(false)
    const pid = Number(readFileSync(pidFile, 'utf8'))
    expect(await waitGone(pid)).toBe(true)
  })

  it('kills with SIGKILL what ignores SIGTERM', async () => {
    const pidFile = path.join(root, 'stubborn.pid')
    const r = await run({command: `bash -c 'trap "" TERM; echo $$ > ${pidFile}; while :; do sleep 0.2; done'`, timeout: 1}, HOST)
    expect(r.content).toContain('timed out after 1s')
    expect(await waitGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true)
  })

  it('kills the group on abort', async () => {
    const ac = new AbortController()
    const pidFile = path.join(root, 'abort.pid')
    const p = run({command: `sleep 60 & echo $! > ${pidFile}; wait`}, {...HOST, signal: ac.signal})
    await pidIn(pidFile)
    ac.abort()
    const r = await p
    expect(r.content).toBe('(no output)\n[interrupted; process group killed]')
    expect(await waitGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true)
  })

  it('does not hang on a background job that keeps stdout open, and stops it', async () => {
    const pidFile = path.join(root, 'bg.pid')
    const r = await run({command: `sleep 60 & echo $! > ${pidFile}; echo started`}, HOST)
    expect(r.content).toBe('started\n[exit code 0]')
    expect(await waitGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true)
  })

  it('caps the timeout at the configured maximum', async () => {
    const r = await run({command: 'echo hi', timeout: 9999}, {maxBashTimeout: 5})
    expect(r.content).toBe('hi\n[exit code 0; timeout capped at 5s]')
    expect((await run({command: 'echo hi', timeout: -1})).ok).toBe(false)
  })

  it('keeps error lines, head and tail of long output', async () => {
    const r = await run({command: 'for i in $(seq 1 1000); do echo "line $i"; if [ $i = 500 ]; then echo "src/x.ts:3:1 - error TS2304: Cannot find name"; fi; done; exit 1'})
    const lines = r.content.split('\n')
    expect(lines.length).toBeLessThanOrEqual(MAX_OUTPUT_LINES + 5)
    expect(lines[0]).toBe('line 1')
    expect(r.content).toContain('src/x.ts:3:1 - error TS2304: Cannot find name')
    expect(r.content).toContain('line 1000\n[exit code 1]')
    expect(r.content).toMatch(/…\[\d+ lines omitted\]/)
  })

  it('gives commands only the allowlisted environment, sandboxed or not', async () => {
    const env = {PATH: process.env.PATH, HOME: root, LANG: 'C.UTF-8', LC_ALL: 'C', TERM: 'dumb', OPENAI_API_KEY: 'k1', GITHUB_TOKEN: 'k2', PARECODE_MODEL: 'm', DATABASE_URL: 'postgres://u:p@db/x', SSH_AUTH_SOCK: '/tmp/agent.sock', NODE_OPTIONS: '--require /tmp/x.js', BASH_ENV: '/tmp/x.sh', KEEP: 'yes'}
    for (const over of [{env}, {env, ...HOST}]) {
      const r = await run({command: 'env | sort'}, over)
      expect(r.content).toContain('LANG=C.UTF-8')
      expect(r.content).toContain('LC_ALL=C')
      expect(r.content).toContain('PAGER=cat')
      expect(r.content).toContain('GIT_TERMINAL_PROMPT=0')
      expect(r.content).not.toMatch(/OPENAI|GITHUB_TOKEN|PARECODE|DATABASE_URL|SSH_AUTH_SOCK|NODE_OPTIONS|BASH_ENV|KEEP/)
    }
  })

  it('drops PATH entries inside the work tree, where a planted `ls` would shadow the real one', async () => {
    const r = await run({command: 'echo "$PATH"'}, {env: {PATH: `${root}/bin:.:bin:${process.env.PATH}`}, ...HOST})
    expect(r.content.split('\n')[0]!.split(':')).not.toContain(`${root}/bin`)
    expect(r.content).not.toMatch(/(^|:)(\.|bin)(:|\n)/)
  })

  it('strips colour codes and progress-bar rewrites', async () => {
    const r = await run({command: `printf '\\033[31mred\\033[0m\\n10%%\\r50%%\\r100%%\\n'`})
    expect(r.content).toBe('red\n100%\n[exit code 0]')
  })
})

describe('scrubEnv (now an allowlist)', () => {
  it('keeps only PATH, HOME, locale, terminal and time zone variables', () => {
    const env = {
      PATH: '/bin', HOME: '/h', LANG: 'C', LANGUAGE: 'en', LC_CTYPE: 'C', TERM: 'xterm', TZ: 'UTC', NO_COLOR: '1', COLORTERM: 'truecolor', TMPDIR: '/t',
      SSH_AUTH_SOCK: '/s', NODE_OPTIONS: '', DATABASE_URL: 'x', AWS_PROFILE: 'x', KUBECONFIG: 'x', LD_PRELOAD: 'x', BASH_ENV: 'x', GIT_DIR: 'x',
      OPENAI_API_KEY: 'x', OPENAI_BASE_URL: 'x', OPENROUTER_API_KEY: 'x', ANTHROPIC_API_KEY: 'x', PARECODE_API_KEY: 'x',
      PARECODE_PROFILE: 'x', GITHUB_TOKEN: 'x', NPM_TOKEN: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_ACCESS_KEY_ID: 'x',
      MY_SERVICE_SECRET: 'x', DB_PASSWORD: 'x', HF_TOKEN: 'x', API_KEY: 'x', GEMINI_API_KEY: 'x', LC_: 'x', lc_all: 'x',
    }
    expect(Object.keys(scrubEnv(env)).sort()).toEqual(['COLORTERM', 'HOME', 'LANG', 'LANGUAGE', 'LC_CTYPE', 'NO_COLOR', 'PATH', 'TERM', 'TMPDIR', 'TZ'])
  })
})

describe('output capping', () => {
  it('leaves short output alone', () => {
    expect(capOutput(['a', 'b'])).toEqual(['a', 'b'])
  })

  it('caps at most 200 lines plus markers', () => {
    const lines = Array.from({length: 5000}, (_, i) => (i % 10 === 0 ? `FAILED test ${i}` : `ok ${i}`))
    const out = capOutput(lines)
    expect(out.filter((l) => !l.startsWith('…[')).length).toBeLessThanOrEqual(MAX_OUTPUT_LINES)
    expect(out).toContain('FAILED test 100')
  })

  it('cuts very long lines', () => {
    expect(cleanOutput(`${'a'.repeat(1000)}\n`)[0]).toMatch(/^a{500}…\[\+500 chars\]$/)
  })
})
