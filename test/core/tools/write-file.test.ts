import {chmodSync, existsSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import readFile from '../../../src/core/tools/read-file.js'
import writeFile, {writeAtomic} from '../../../src/core/tools/write-file.js'
import {makeRepo, removeDir, tempDir} from '../../support/repo.js'
import {makeCtx} from './helpers.js'

const outside = tempDir('pare-outside-')
const root = makeRepo({'README.md': '# demo\n', 'run.sh': '#!/bin/sh\necho hi\n'})
chmodSync(path.join(root, 'run.sh'), 0o755)
symlinkSync(outside, path.join(root, 'outdir'))
afterAll(() => {
  removeDir(root)
  removeDir(outside)
})

const write = (args: Parameters<typeof writeFile.run>[0], over = {}) => writeFile.run(args, makeCtx(root, over))
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.includes('.pare-'))

describe('write_file', () => {
  it('creates a file and its parent folders', async () => {
    const r = await write({path: 'src/deep/new.ts', content: 'a\nb\n'})
    expect(r).toEqual({content: 'wrote src/deep/new.ts (2 lines)', summary: 'wrote src/deep/new.ts (2 lines)', ok: true, changed: ['src/deep/new.ts']})
    expect(readFileSync(path.join(root, 'src/deep/new.ts'), 'utf8')).toBe('a\nb\n')
    expect(leftovers(path.join(root, 'src/deep'))).toEqual([])
  })

  it('refuses to replace an existing file without overwrite', async () => {
    const r = await write({path: 'README.md', content: 'gone'})
    expect(r.ok).toBe(false)
    expect(r.content).toBe('Error: README.md already exists; use edit_file to change it, or overwrite: true to replace it')
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toBe('# demo\n')
  })

  it('replaces with overwrite, keeping the file mode', async () => {
    const r = await write({path: 'run.sh', content: '#!/bin/sh\necho bye\n', overwrite: true})
    expect(r.content).toBe('replaced run.sh (2 lines)')
    expect(statSync(path.join(root, 'run.sh')).mode & 0o777).toBe(0o755)
    expect(readFileSync(path.join(root, 'run.sh'), 'utf8')).toContain('bye')
    expect(leftovers(root)).toEqual([])
  })

  it('writes non-ASCII and CRLF content byte for byte', async () => {
    const content = 'héllo ✓ 你好\r\nsecond\r\n'
    await write({path: 'u.txt', content})
    expect(readFileSync(path.join(root, 'u.txt'), 'utf8')).toBe(content)
  })

  it('invalidates the read cache and appends what afterEdit says', async () => {
    const seen: string[][] = []
    const ctx = makeCtx(root, {callId: 'w1', afterEdit: async (p) => {
      seen.push(p)
      return 'tsc: ok'
    }})
    await readFile.run({path: 'README.md'}, ctx)
    expect((await readFile.run({path: 'README.md'}, {...ctx, callId: 'w2'})).content).toContain('unchanged since call w1')
    const r = await writeFile.run({path: 'README.md', content: '# new\n', overwrite: true}, {...ctx, callId: 'w3'})
    expect(r.content).toBe('replaced README.md (1 line)\ntsc: ok')
    expect(r.summary).toBe('replaced README.md (1 line)')
    expect(seen).toEqual([['README.md']])
    expect((await readFile.run({path: 'README.md'}, {...ctx, callId: 'w4'})).content).toMatch(/^1#\w{4}:# new$/)
  })

  it('refuses a directory, and paths outside the repository', async () => {
    expect((await write({path: 'src', content: 'x', overwrite: true})).content).toBe('Error: src is a directory')
    for (const p of ['../evil.txt', path.join(outside, 'evil.txt'), 'outdir/evil.txt', 'outdir/sub/evil.txt', '.git/hooks/pre-commit', '.']) {
      const r = await write({path: p, content: 'x'})
      expect(r.ok, p).toBe(false)
    }
    expect(readdirSync(outside)).toEqual([])
    expect(existsSync(path.join(root, '.git/hooks/pre-commit'))).toBe(false)
  })

  it('reports a path through a file as a tool error', async () => {
    const r = await write({path: 'README.md/child.txt', content: 'x'})
    expect(r).toMatchObject({ok: false})
    expect(r.content).toMatch(/^Error: could not write README.md\/child.txt \((ENOTDIR|EEXIST)\)$/)
  })

  it('leaves no temp file behind when the rename fails', async () => {
    const dir = tempDir('pare-atomic-')
    writeFileSync(path.join(dir, 'keep'), 'k')
    // Renaming a file onto a non-empty directory fails.
    const target = path.join(dir, 'target')
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(target, 'x'), {recursive: true}))
    await expect(writeAtomic(target, 'data')).rejects.toThrow()
    expect(leftovers(dir)).toEqual([])
    removeDir(dir)
  })
})

describe('write_file with pasted read_file output', () => {
  it('removes line prefixes the model copied along', async () => {
    const {formatLine} = await import('../../../src/core/tools/anchors.js')
    const pasted = [formatLine(1, 'const a = 1'), formatLine(2, ''), formatLine(3, 'export {a}')].join('\n') + '\n'
    const r = await write({path: 'pasted.ts', content: pasted})
    expect(r.content).toBe('wrote pasted.ts (3 lines; removed read_file line prefixes)')
    expect(readFileSync(path.join(root, 'pasted.ts'), 'utf8')).toBe('const a = 1\n\nexport {a}\n')
    await write({path: 'yaml.yml', content: '1: one\n2: two\n'})
    expect(readFileSync(path.join(root, 'yaml.yml'), 'utf8')).toBe('1: one\n2: two\n')
  })
})
