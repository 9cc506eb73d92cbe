import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {onEditHookText, runEventHooks, runOnEditHooks} from '../../../src/core/hooks/event-hooks.js'
import {resolveHooks} from '../../../src/core/hooks/events.js'
import {capOutput, runHook} from '../../../src/core/hooks/run-hook.js'
import {makeRepo, projectRoot, removeDir, tempDir} from '../../support/repo.js'
import {alive} from '../../support/process.js'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach(removeDir))
const node = JSON.stringify(process.execPath)


describe('runHook', () => {
  it('an edit that breaks types gets the tsc error in the on_edit text (real TypeScript fixture)', async () => {
    const root = makeRepo({
      'tsconfig.json': JSON.stringify({compilerOptions: {strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', skipLibCheck: true, types: []}, include: ['src']}),
      'src/auth.ts': 'export function validate(t: string): boolean {\n  return t.length > 0\n}\n',
      'src/use.ts': "import {validate} from './auth.js'\nexport const ok: boolean = validate('x')\n",
    })
    dirs.push(root)
    const tsc = `${node} ${JSON.stringify(path.join(projectRoot, 'node_modules/typescript/bin/tsc'))} --noEmit -p .`
    const hooks = resolveHooks({hooks: {on_edit: tsc}})
    expect(await runOnEditHooks(hooks, {cwd: root})).toBe(`⚙ \`${tsc}\`: ok`)
    writeFileSync(path.join(root, 'src/auth.ts'), 'export function validate(t: string): number {\n  return t.length\n}\n')
    const text = await runOnEditHooks(hooks, {cwd: root})
    expect(text).toContain('(exit 2)')
    expect(text).toMatch(/src\/use\.ts\(2,14\): error TS2322: Type 'number' is not assignable to type 'boolean'/)
  }, 60_000)

  it('a hook that hangs is killed at the timeout, with its children, and says so', async () => {
    const cwd = tempDir()
    dirs.push(cwd)
    const pidFile = path.join(cwd, 'child.pid')
    const child = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`
    const run = await runHook(`echo started; ${node} -e ${JSON.stringify(child)} & sleep 30; echo never`, {cwd, timeoutMs: 800})
    expect(run.timedOut).toBe(true)
    expect(run.code).toBe(124)
    expect(run.output).toContain('started')
    expect(run.output).toContain('[hook timed out after 0.8 s and was stopped]')
    // The background grandchild went down with the process group.
    const pid = Number(readFileSync(pidFile, 'utf8'))
    await new Promise((r) => setTimeout(r, 300))
    expect(alive(pid)).toBe(false)
    expect(run.output).not.toContain('never')
    expect(onEditHookText([run])).toMatch(/^⚙ `.*` timed out and was stopped:\nstarted/)
  }, 20_000)

  it('a hook printing 10,000 lines is capped at 50, error lines kept first', async () => {
    const cwd = tempDir()
    dirs.push(cwd)
    const script = 'for (let i = 0; i < 10000; i++) console.log(i === 7000 ? "src/x.ts(3,5): error TS2304: Cannot find name foo" : "line " + i)'
    const run = await runHook(`${node} -e ${JSON.stringify(script)}`, {cwd})
    const lines = run.output.split('\n')
    expect(lines).toHaveLength(50)
    expect(lines[0]).toBe('line 0')
    expect(run.output).toContain('error TS2304: Cannot find name foo')
    expect(lines[49]).toMatch(/^… 9951 more lines not shown \(10000 in all; error lines kept first\)$/)
  }, 20_000)

  it('a broken command reports its exit code and stderr and never throws', async () => {
    const cwd = tempDir()
    dirs.push(cwd)
    const run = await runHook('definitely-not-a-command-xyz --flag', {cwd})
    expect(run.code).toBe(127)
    expect(run.output).toMatch(/definitely-not-a-command-xyz.*not found/)
    expect(onEditHookText([run])).toMatch(/^⚙ `definitely-not-a-command-xyz --flag` \(exit 127\):\n/)
    const failing = await runHook(`${node} -e "console.error('bad thing'); process.exit(3)"`, {cwd})
    expect(failing).toMatchObject({code: 3, output: 'bad thing', timedOut: false})
    const missingCwd = await runHook('true', {cwd: path.join(cwd, 'nope')})
    expect(missingCwd.code).not.toBe(0)
    expect(missingCwd.output).toMatch(/could not run hook|ENOENT|No such file/)
  })

  it('stops when the signal aborts', async () => {
    const cwd = tempDir()
    dirs.push(cwd)
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 200)
    const run = await runHook('sleep 20', {cwd, signal: ac.signal})
    expect(run.output).toContain('[hook interrupted]')
    expect(run.timedOut).toBe(false)
  })

  it('runs an event\'s commands in order; nothing when hooks are off', async () => {
    const cwd = tempDir()
    dirs.push(cwd)
    const hooks = resolveHooks({hooks: {on_task_done: ['echo one', 'echo two'], on_edit: 'echo edit'}})
    const runs = await runEventHooks('on_task_done', hooks, {cwd})
    expect(runs.map((r) => r.output)).toEqual(['one', 'two'])
    expect(await runEventHooks('on_task_done', resolveHooks({hooks: {on_task_done: 'echo x'}, noHooks: true}), {cwd})).toEqual([])
    expect(onEditHookText([])).toBeUndefined()
  })
})

describe('capOutput', () => {
  it('strips colour codes, keeps short output whole, keeps the line after an error', () => {
    expect(capOutput('\x1b[31merror\x1b[0m: x\n\n')).toBe('error: x')
    const text = [...Array.from({length: 100}, (_, i) => `noise ${i}`), 'error[E0308]: mismatched types', '  --> src/main.rs:3:5'].join('\n')
    const out = capOutput(text, 10).split('\n')
    expect(out).toHaveLength(10)
    expect(out.slice(-3)).toEqual(['error[E0308]: mismatched types', '  --> src/main.rs:3:5', '… 93 more lines not shown (102 in all; error lines kept first)'])
  })
})
