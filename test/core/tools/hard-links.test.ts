import {linkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {ReadCache} from '../../../src/core/context/read-cache.js'
import editFile from '../../../src/core/tools/edit-file.js'
import search from '../../../src/core/tools/search.js'
import {removeDir, tempDir} from '../../support/repo.js'
import {scopedRepo} from '../../support/scoped.js'

// A command can hard-link a file from outside the repository into it; search and edit_file must not quote it.
describe('hard links into the repository', () => {
  it('search skips them and edit_file refuses them, while ordinary files work', async () => {
    const outside = tempDir('pare-out-')
    onTestFinished(() => removeDir(outside))
    writeFileSync(path.join(outside, 'secret.txt'), 'TOKEN=outside-secret-value\n')
    const root = scopedRepo({'a.txt': 'TOKEN=inside\n'})
    linkSync(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'))
    const ctx = {root, callId: 'c1', readCache: new ReadCache()}
    const found = await search.run({pattern: 'TOKEN'}, ctx)
    expect(found.content).toContain('a.txt')
    expect(found.content).not.toContain('outside-secret-value')
    const edit = await editFile.run({path: 'leak.txt', old_str: 'nope', new_str: 'x'}, ctx)
    expect(edit.ok).toBe(false)
    expect(edit.content).toContain('hard link')
    expect(edit.content).not.toContain('outside-secret-value')
    const ok = await editFile.run({path: 'a.txt', old_str: 'TOKEN=inside', new_str: 'TOKEN=changed'}, ctx)
    expect(ok.ok).toBe(true)
  })
})
