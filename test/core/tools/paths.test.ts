import {mkdirSync, symlinkSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {resolveInRepo} from '../../../src/core/tools/paths.js'
import {makeRepo, tempDir, writeFiles} from '../../support/repo.js'

describe('resolveInRepo', () => {
  const root = makeRepo({'src/a.ts': 'x\n'})
  const outside = tempDir('pare-outside-')
  writeFiles(outside, {'secret.txt': 's\n'})
  symlinkSync(outside, path.join(root, 'link-out'))
  mkdirSync(path.join(root, 'vendor/sub/.git'), {recursive: true})

  it('accepts repository paths in their usual spellings', () => {
    for (const p of ['src/a.ts', './src/a.ts', 'src/../src/a.ts', path.join(root, 'src/a.ts'), 'new/dir/file.ts']) {
      const r = resolveInRepo(root, p)
      expect(r.ok, p).toBe(true)
    }
    expect(resolveInRepo(root, './src/a.ts')).toMatchObject({ok: true, rel: 'src/a.ts'})
  })

  it('refuses paths outside the repository, through symlinks, and under any .git', () => {
    for (const p of ['../x', '/etc/passwd', 'link-out/secret.txt', 'link-out/new.txt', '.git/config', '.git', 'vendor/sub/.git/config', 'src/../../x', '', 42]) {
      const r = resolveInRepo(root, p)
      expect(r.ok, String(p)).toBe(false)
    }
    expect(resolveInRepo(root, '.git/hooks/pre-commit')).toMatchObject({ok: false, error: expect.stringMatching(/inside \.git/)})
    expect(resolveInRepo(root, '../x')).toMatchObject({ok: false, error: expect.stringMatching(/outside the repository/)})
  })
})
