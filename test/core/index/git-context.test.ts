import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {coChangedFiles, gitStatusShort} from '../../../src/core/index/git-context.js'
import {makeRepo, removeDir, sh} from '../../support/repo.js'

const repos: string[] = []
afterEach(() => repos.splice(0).forEach(removeDir))

function commit(root: string, files: Record<string, string>, msg: string): void {
  for (const [f, c] of Object.entries(files)) writeFileSync(path.join(root, f), c)
  sh(root, ['add', '-A'])
  sh(root, ['commit', '-q', '-m', msg])
}

describe('gitStatusShort', () => {
  it('is undefined on a clean tree and capped otherwise', async () => {
    const root = makeRepo({'a.txt': 'a\n'})
    repos.push(root)
    expect(await gitStatusShort(root)).toBeUndefined()
    for (let i = 0; i < 30; i++) writeFileSync(path.join(root, `n${String(i).padStart(2, '0')}.txt`), 'x')
    writeFileSync(path.join(root, 'a.txt'), 'b\n')
    const text = await gitStatusShort(root, {maxLines: 5})
    expect(text?.split('\n')).toEqual([' M a.txt', '?? n00.txt', '?? n01.txt', '?? n02.txt', '?? n03.txt', '… 26 more'])
  })
})

describe('coChangedFiles', () => {
  it('suggests files that usually change with the given ones', async () => {
    const root = makeRepo({'auth.rs': '1', 'handler.rs': '1', 'readme.md': '1', 'old.rs': '1'})
    repos.push(root)
    commit(root, {'auth.rs': '2', 'handler.rs': '2'}, 'a')
    commit(root, {'auth.rs': '3', 'handler.rs': '3', 'old.rs': '2'}, 'b')
    commit(root, {'auth.rs': '4', 'handler.rs': '4', 'old.rs': '3'}, 'c')
    commit(root, {'readme.md': '2'}, 'd')
    commit(root, {'auth.rs': '5'}, 'e')
    sh(root, ['rm', '-q', 'old.rs'])
    sh(root, ['commit', '-q', '-m', 'rm'])
    expect(await coChangedFiles(root, ['auth.rs'])).toEqual(['handler.rs'])
    expect(await coChangedFiles(root, ['readme.md'])).toEqual([])
    expect(await coChangedFiles(root, [])).toEqual([])
  })
})
