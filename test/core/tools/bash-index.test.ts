import {readFileSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import bash from '../../../src/core/tools/bash.js'
import {makeRepo, removeDir} from '../../support/repo.js'
import {makeCtx} from './helpers.js'

const root = makeRepo({'README.md': '# demo\n', 'src/a.ts': 'export const a = 1\n'})
afterAll(() => removeDir(root))

describe('bash and the user index', () => {
  it("a `git status` the model runs never rewrites the user's index, and still reports the change", async () => {
    // A modified file whose stat data git has not seen: a plain `git status` would refresh and rewrite .git/index.
    writeFileSync(path.join(root, 'src/a.ts'), 'export const a = 2\n')
    const index = path.join(root, '.git/index')
    const old = new Date(Date.now() - 3600_000)
    utimesSync(index, old, old)
    const before = readFileSync(index)
    const mtime = statSync(index).mtimeMs
    for (const sandbox of [false, true]) {
      const r = await bash.run({command: 'git status --short && git diff --stat'}, makeCtx(root, {bash: {sandbox, approval: 'auto' as const}}))
      expect(r.content).toContain('M src/a.ts')
    }
    expect(readFileSync(index).equals(before)).toBe(true)
    expect(statSync(index).mtimeMs).toBe(mtime)
  })
})
