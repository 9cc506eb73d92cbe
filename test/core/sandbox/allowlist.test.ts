import {mkdirSync, symlinkSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {isAllowlisted, plainWords} from '../../../src/core/sandbox/allowlist.js'
import {makeRepo, removeDir, tempDir} from '../../support/repo.js'

const root = makeRepo({'src/a.ts': 'x\n'})
const secrets = tempDir('pare-secrets-')
mkdirSync(path.join(secrets, '.ssh'))
symlinkSync(path.join(secrets, '.ssh'), path.join(root, 'keys'))
afterAll(() => {
  removeDir(root)
  removeDir(secrets)
})
const ok = (c: string, allow: string[] = []) => isAllowlisted(c, {root, allow})

describe('plainWords', () => {
  it('splits plain and quoted words', () => {
    expect(plainWords(`grep -n 'a;b|c' "src/x y.ts"`)).toEqual(['grep', '-n', 'a;b|c', 'src/x y.ts'])
    expect(plainWords(`grep "foo\\.bar" src`)).toEqual(['grep', 'foo\\.bar', 'src'])
    expect(plainWords('git log HEAD~3 --format=%h')).toEqual(['git', 'log', 'HEAD~3', '--format=%h'])
  })

  it('refuses everything that is not one simple command of plain words', () => {
    for (const c of [
      'git status; rm -rf x', 'ls && rm x', 'ls || rm x', 'ls | sh', 'ls & rm x', 'cat a > b', 'cat < a', 'cat a >> b', 'ls 2>&1',
      'echo $(rm x)', 'echo `rm x`', 'echo $HOME', 'echo "$HOME"', 'echo "`id`"', 'ls\nrm x', 'ls\rrm x', 'ls *', 'ls src/*.ts', 'ls ?',
      'ls [a]', 'echo {a,b}', 'cat ~/.ssh/id_rsa', 'echo a=~', "echo 'unterminated", 'echo "unterminated', 'echo \\; rm', '(ls)', 'ls #x',
      'echo !!', 'echo "a\\$b"', 'ls\u202e', '', '   ',
    ]) {
      expect(plainWords(c), JSON.stringify(c)).toBeNull()
    }
  })
})

describe('isAllowlisted', () => {
  it('lets read-only commands within the work tree run', () => {
    for (const c of ['ls', 'ls -la src', 'cat src/a.ts', 'head -n 5 src/a.ts', 'tail src/a.ts', 'wc -l src/a.ts', 'grep -rn foo src', 'rg -n "foo bar" src', 'find . -name a.ts', 'pwd', 'echo hi', 'git status', 'git diff HEAD~1', 'git log --oneline -5', 'git show HEAD', 'git log main..HEAD']) {
      expect(ok(c), c).toBe(true)
    }
  })

  it('refuses chains, options that write or execute, and paths out of the work tree', () => {
    for (const c of [
      'git status; rm -rf x', 'git status && curl x', 'ls; rm -rf /',
      'find . -exec rm {} ;', 'find . -delete', 'find . -ok rm', 'find . -execdir sh', 'find . -fprint out', 'find -L .',
      'rg --pre ./evil.sh foo', 'rg --pre=./evil.sh foo', 'rg -L foo', 'rg --follow foo', 'grep -R foo .', 'grep -rR foo .',
      'git diff --output=x', 'git log --output x', 'git diff --ext-diff', 'git show --textconv HEAD',
      'cat /etc/passwd', 'cat /proc/1/environ', 'cat ../x', 'cat src/../../x', 'grep -f/etc/shadow x', 'grep --file=/etc/shadow x', 'cat keys/id_rsa', 'ls keys',
      'git -c core.pager=sh log', 'git commit -m x', 'git push', 'rm -rf x', 'FOO=1 ls', 'env ls', 'sh -c ls', 'bash', 'npm test', '/bin/ls', './ls',
    ]) {
      expect(ok(c), c).toBe(false)
    }
  })

  it("lets the user's prefixes run, still as one simple command", () => {
    expect(ok('npm test', ['npm test'])).toBe(true)
    expect(ok('npm test -- --watch=false', ['npm test'])).toBe(true)
    expect(ok('npm testx', ['npm test'])).toBe(false)
    expect(ok('npm test; curl x', ['npm test'])).toBe(false)
    expect(ok('npm test $(curl x)', ['npm test'])).toBe(false)
    expect(ok('npm run build', ['npm'])).toBe(true)
  })
})
