import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import patchFile from '../../../src/core/tools/patch-file.js'
import {makeRepo, removeDir} from '../../support/repo.js'
import {makeCtx} from './helpers.js'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach(removeDir))
const SRC = 'def one():\n    return 1\n\n\ndef two():\n    return 2\n'

describe('patch_file', () => {
  it('has a short schema', () => {
    expect(patchFile.name).toBe('patch_file')
    expect(Object.keys((patchFile.parameters as {properties: object}).properties)).toEqual(['path', 'patch'])
  })

  it('applies all hunks and reports lines and telemetry', async () => {
    const root = makeRepo({'m.py': SRC})
    dirs.push(root)
    const events: unknown[] = []
    const ctx = makeCtx(root, {onEditOutcome: (e) => events.push(e)})
    const patch = '--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n def one():\n-    return 1\n+    return 10\n@@ -5,2 +5,2 @@\n def two():\n-    return 2\n+    return 20\n'
    const r = await patchFile.run({path: 'm.py', patch}, ctx)
    expect(r.content).toBe('patched m.py: 2 hunks at lines 1, 5')
    expect(readFileSync(path.join(root, 'm.py'), 'utf8')).toBe(SRC.replace('return 1', 'return 10').replace('return 2', 'return 20'))
    expect(events).toEqual([{tool: 'patch_file', ok: true, level: 'exact'}])
  })

  it('writes nothing when a hunk fails and says which', async () => {
    const root = makeRepo({'m.py': SRC})
    dirs.push(root)
    const patch = '@@ -1,2 +1,2 @@\n def one():\n-    return 1\n+    return 10\n@@ -5,2 +5,2 @@\n def three():\n-    return 3\n+    return 30\n'
    const r = await patchFile.run({path: 'm.py', patch}, makeCtx(root))
    expect(r.ok).toBe(false)
    expect(r.content).toMatch(/^Error: m.py: 1 of 2 hunks failed; nothing was written\nhunk 1 .*ok at line 1\nhunk 2 .*its context was not found/)
    expect(readFileSync(path.join(root, 'm.py'), 'utf8')).toBe(SRC)
  })

  it('refuses a patch that is not a diff', async () => {
    const root = makeRepo({'m.py': SRC})
    dirs.push(root)
    expect((await patchFile.run({path: 'm.py', patch: 'return 10'}, makeCtx(root))).content).toMatch(/no @@ hunk header/)
  })
})
