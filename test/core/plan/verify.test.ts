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
