import {describe, expect, it} from 'vitest'
import {verifyStep} from '../../../src/core/plan/verify.js'
import {makeRepo, writeFiles} from '../../support/repo.js'

const runCommand = async (cmd: string) => ({code: cmd === 'true' ? 0 : 2, output: cmd === 'true' ? '' : 'error TS2322: boom'})

describe('verifyStep', () => {
  it('file_changed looks at the changed list', async () => {
    const root = makeRepo()
    expect((await verifyStep({type: 'file_changed'}, {root, changed: [], runCommand})).ok).toBe(false)
    expect((await verifyStep({type: 'file_changed', path: 'src'}, {root, changed: ['src/a.ts'], runCommand})).ok).toBe(true)
  })

  it('file_changed: a step that changed nothing of its own does not pass, whatever commands left behind', async () => {
    const root = makeRepo()
    const check = async (path: string | undefined, changed: string[], artifacts: string[] = []) => (await verifyStep({type: 'file_changed', ...(path === undefined ? {} : {path})}, {root, changed, artifacts, runCommand}))
    // Only new files nobody edited (a test run's cache, a build's output): not a change.
    const left = await check(undefined, ['coverage/lcov.info', '__pycache__/a.pyc'], ['coverage/lcov.info', '__pycache__/a.pyc'])
    expect(left.ok).toBe(false)
    expect(left.summary).toBe('file_changed any file: no (only files left by commands)')
    expect(left.output).toContain('coverage/lcov.info')
    expect((await check('src', ['src/__pycache__/a.pyc'], ['src/__pycache__/a.pyc'])).ok).toBe(false)
    // A tracked file changed, or a new file an edit tool wrote: a change.
    expect((await check(undefined, ['coverage/lcov.info', 'src/a.ts'], ['coverage/lcov.info'])).ok).toBe(true)
    expect((await check('src', ['src/new.ts'])).ok).toBe(true)
    // The check names that very file: however it appeared, it counts.
    expect((await check('dist/out.js', ['dist/out.js'], ['dist/out.js'])).ok).toBe(true)
    // "./src/", "src/" and "src" are the same folder; "." is the repository; a sibling with the same prefix is not inside.
    for (const p of ['./src/', 'src/', 'src']) expect((await check(p, ['src/a.ts'])).ok, p).toBe(true)
    expect((await check('.', ['a.ts'])).ok).toBe(true)
    expect((await check('src', ['srcs/a.ts'])).ok).toBe(false)
    expect((await check('src/a.ts', [])).summary).toBe('file_changed src/a.ts: no')
  })

  it('pattern_absent searches tracked and untracked files', async () => {
    const root = makeRepo({'a.ts': 'console.log(1)\n'})
    writeFiles(root, {'b.ts': 'ok\n'})
    const fail = await verifyStep({type: 'pattern_absent', pattern: 'console\\.log'}, {root, changed: [], runCommand})
    expect(fail.ok).toBe(false)
    expect(fail.output).toContain('a.ts:1:console.log(1)')
    writeFiles(root, {'a.ts': 'x\n'})
    expect((await verifyStep({type: 'pattern_absent', pattern: 'console\\.log'}, {root, changed: [], runCommand})).ok).toBe(true)
  })

  it('command and build results carry the output', async () => {
    const root = makeRepo()
    expect((await verifyStep({type: 'command_success', command: 'true'}, {root, changed: [], runCommand})).ok).toBe(true)
    const bad = await verifyStep({type: 'build_success'}, {root, changed: [], runCommand, buildCommand: 'tsc'})
    expect(bad.ok).toBe(false)
    expect(bad.output).toContain('TS2322')
    expect((await verifyStep({type: 'build_success'}, {root, changed: [], runCommand})).summary).toMatch(/skipped/)
  })
})
