import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {chatHistoryFile, pushHistory, readHistory, writeHistory} from '../../../src/core/chat/history.js'
import {removeDir, tempDir} from '../../support/repo.js'

describe('chat history', () => {
  it('round-trips entries of several lines, newest first, in the git dir', async () => {
    const dir = tempDir('pare-hist-')
    onTestFinished(() => removeDir(dir))
    const file = chatHistoryFile(dir)
    expect(file).toBe(path.join(dir, 'parecode', 'chat-history'))
    expect(await readHistory(file)).toEqual([])
    let h: string[] = []
    for (const e of ['first', 'two\nlines', 'third']) h = pushHistory(h, e)
    await writeHistory(file, h)
    expect(await readHistory(file)).toEqual(['third', 'two\nlines', 'first'])
    expect(readFileSync(file, 'utf8')).toBe('"first"\n"two\\nlines"\n"third"\n')
  })

  it('is capped, drops repeats and empty entries, and skips damaged lines', async () => {
    const dir = tempDir('pare-hist-')
    onTestFinished(() => removeDir(dir))
    let h: string[] = []
    for (let i = 0; i < 30; i++) h = pushHistory(h, `cmd ${i}`, 10)
    expect(h).toHaveLength(10)
    expect(h[0]).toBe('cmd 29')
    expect(pushHistory(h, 'cmd 29', 10)).toEqual(h)
    expect(pushHistory(h, '   ', 10)).toEqual(h)
    expect(pushHistory(['a', 'b'], 'b')).toEqual(['b', 'a'])
    expect(pushHistory([], 'x'.repeat(5000))).toEqual([])
    const file = path.join(dir, 'h')
    writeFileSync(file, '"ok"\nnot json\n42\n"\\u001b[31m"\n')
    expect(await readHistory(file)).toEqual(['\u001b[31m', 'ok'])
    expect(await readHistory(file, 1)).toEqual(['\u001b[31m'])
  })
})
