import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {onEditHookText} from '../../../src/core/hooks/event-hooks.js'
import {HookMemo} from '../../../src/core/hooks/hook-memo.js'
import {runHook} from '../../../src/core/hooks/run-hook.js'
import {removeDir, tempDir} from '../../support/repo.js'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach(removeDir))

describe('HookMemo', () => {
  it('reports only errors the edit introduced; known ones are counted, positions do not matter', async () => {
    const cwd = tempDir()
    dirs.push(cwd)
    // A checker that prints errors.txt and fails when it is not empty.
    const cmd = `${JSON.stringify(process.execPath)} -e "const t=require('fs').readFileSync('errors.txt','utf8').trim(); if (t) { console.log(t); process.exit(2) }"`
    const check = async (errors: string[]) => {
      writeFileSync(path.join(cwd, 'errors.txt'), errors.join('\n'))
      return runHook(cmd, {cwd})
    }
    const memo = new HookMemo()
    memo.prime([await check(["src/old.ts(3,1): error TS2304: Cannot find name 'legacy'."])])
    const head = `⚙ \`${cmd}\``

    const first = await check(["src/old.ts(5,1): error TS2304: Cannot find name 'legacy'.", "src/new.ts(1,7): error TS2322: Type 'number' is not assignable to type 'string'."])
    expect(onEditHookText([first], memo)).toBe(`${head} (exit 2), new:\nsrc/new.ts(1,7): error TS2322: Type 'number' is not assignable to type 'string'.\n(+1 error line known from before the edit)`)

    // The same errors again: nothing new to read.
    expect(onEditHookText([first], memo)).toBe(`${head} (exit 2): no new errors; 2 error lines known from before the edit`)

    expect(onEditHookText([await check([])], memo)).toBe(`${head}: ok (earlier errors are gone)`)
    expect(onEditHookText([await check([])], memo)).toBe(`${head}: ok`)
    // After a clean run nothing is known: a new failure is shown whole.
    const again = await check(['main.go:3:5: undefined: x'])
    expect(onEditHookText([again], memo)).toBe(`${head} (exit 2):\nmain.go:3:5: undefined: x`)
  }, 30_000)

  it('without a memo every run is shown whole', () => {
    const run = {command: 'c', code: 1, output: 'a.py:1:1: E501 line too long', timedOut: false, ms: 1}
    expect(onEditHookText([run])).toBe('⚙ `c` (exit 1):\na.py:1:1: E501 line too long')
    expect(onEditHookText([run])).toBe('⚙ `c` (exit 1):\na.py:1:1: E501 line too long')
  })
})
