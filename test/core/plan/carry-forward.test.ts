import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {summariseStep} from '../../../src/core/plan/carry-forward.js'
import {fileSymbols} from '../../../src/core/index/file-symbols.js'
import {makeRepo, sh, writeFiles} from '../../support/repo.js'

describe('summariseStep', () => {
  it('lists changed files with the symbols the change touched, deterministically', async () => {
    const root = makeRepo({
      'src/auth.ts': 'export function validateToken(t: string) {\n  return t.length > 0\n}\n\nexport class AuthError extends Error {}\n',
      'src/old.ts': 'export const x = 1\n',
    })
    const from = sh(root, ['rev-parse', 'HEAD'])
    writeFiles(root, {'src/auth.ts': 'export function validateToken(t: string) {\n  return t.length > 8\n}\n\nexport class AuthError extends Error {}\n', 'src/new.ts': 'export function fresh() {}\n'})
    sh(root, ['rm', '-q', 'src/old.ts'])
    sh(root, ['add', '-A'])
    sh(root, ['commit', '-qm', 'step'])
    const lines = await summariseStep({
      root,
      from,
      to: 'HEAD',
      symbolsOf: fileSymbols,
      readFile: (p) => readFile(path.join(root, p), 'utf8').catch(() => undefined),
    })
    expect(lines).toEqual(['modified src/auth.ts [validateToken, AuthError]', 'added src/new.ts [fresh]', 'deleted src/old.ts'])
  })
})
