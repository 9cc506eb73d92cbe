import {symlinkSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadTokenCounter} from '../../../src/core/context/tokenizer.js'
import {stepExcerpts} from '../../../src/core/plan/excerpts.js'
import {makeRepo, tempDir, writeFiles} from '../../support/repo.js'

describe('stepExcerpts', () => {
  it('formats files like read_file, within the budget, saying how to read on', async () => {
    const counter = await loadTokenCounter('o200k_base')
    const big = Array.from({length: 400}, (_, i) => `export const v${i} = ${i}`).join('\n') + '\n'
    const root = makeRepo({'a.ts': 'export const a = 1\n', 'big.ts': big})
    const [a, b] = await stepExcerpts(root, ['a.ts', 'big.ts'], counter, {budgetTokens: 600})
    expect(a!.content).toMatch(/^1#[0-9a-z]{4}:export const a = 1$/)
    expect(b!.content).toMatch(/more lines of 400; read_file with line_range "\d+-\d+" for more\]$/)
    expect(counter.count(a!.content) + counter.count(b!.content)).toBeLessThanOrEqual(650)
  })

  it('never reads outside the repository, whatever the planner wrote', async () => {
    const counter = await loadTokenCounter('o200k_base')
    const outside = tempDir('pare-outside-')
    writeFiles(outside, {'secret.txt': 'TOP SECRET\n'})
    const root = makeRepo({'a.ts': 'x\n'})
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'))
    const got = await stepExcerpts(root, ['../secret.txt', path.join(outside, 'secret.txt'), 'leak.txt', '.git/config', 'missing.ts'], counter)
    expect(got).toEqual([])
  })
})
