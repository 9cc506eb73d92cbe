import {symlinkSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {ATTACH_MAX_CHARS, attachFiles, completeMention, mentions} from '../../../src/core/chat/attach.js'
import {tempDir, writeFiles} from '../../support/repo.js'
import {scopedRepo} from '../../support/scoped.js'

describe('@path attachments', () => {
  it('finds mentions at the start or after a space, not in e-mail addresses', () => {
    expect(mentions('@a.ts and @src/b.ts, mail x@y.z or @a.ts again')).toEqual(['a.ts', 'src/b.ts'])
    expect(mentions('see (@c.md).')).toEqual([])
    expect(mentions('see @c.md.')).toEqual(['c.md'])
  })

  it('attaches a file in a fence it cannot close, under its path', async () => {
    const root = scopedRepo({'doc.md': 'a\n```js\nx\n```\n', 'src/u.ts': 'export {}'})
    const r = await attachFiles('explain @doc.md and @src/u.ts', root)
    expect(r.attached).toEqual([{path: 'doc.md', chars: 14, truncated: false}, {path: 'src/u.ts', chars: 9, truncated: false}])
    expect(r.task).toBe('explain @doc.md and @src/u.ts\n\nAttached file doc.md:\n````\na\n```js\nx\n```\n````\n\nAttached file src/u.ts:\n```\nexport {}\n```')
    expect(r.skipped).toEqual([])
  })

  it('refuses what is outside the repository, binary or missing; caps a large file', async () => {
    const root = scopedRepo({'big.txt': 'x'.repeat(ATTACH_MAX_CHARS + 10), 'bin.dat': Buffer.from([1, 0, 2])})
    const outside = tempDir('pare-out-')
    writeFiles(outside, {'secret.txt': 'nope'})
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'))
    const r = await attachFiles('@big.txt @bin.dat @link.txt @../x.txt @missing/file.ts @someone @.git/config', root)
    expect(r.attached).toEqual([{path: 'big.txt', chars: ATTACH_MAX_CHARS, truncated: true}])
    expect(r.task).toContain(`Attached file big.txt (first ${ATTACH_MAX_CHARS} of ${ATTACH_MAX_CHARS + 10} bytes; read_file for the rest):`)
    expect(r.task).not.toContain('nope')
    expect(r.skipped).toEqual([
      '@bin.dat: a binary file (not attached)',
      '@link.txt: outside the repository (not attached)',
      '@../x.txt: no such file in the repository (sent as text)',
      '@missing/file.ts: no such file in the repository (sent as text)',
      '@.git/config: outside the repository (not attached)',
    ])
  })

  it('completes tracked paths a directory level at a time', () => {
    const files = ['src/a.ts', 'src/b/c.ts', 'README.md']
    expect(completeMention('look at @sr', files)).toEqual([['@src/'], '@sr'])
    expect(completeMention('look at @src/', files)).toEqual([['@src/a.ts', '@src/b/'], '@src/'])
    expect(completeMention('@R', files)).toEqual([['@README.md'], '@R'])
    expect(completeMention('no mention', files)).toEqual([[], 'no mention'])
  })
})
