import {afterAll, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli} from '../support/repo.js'

// Bad flags and arguments: one line and a hint on stderr, exit 2, and under --json the envelope says the same code.
const repo = makeRepo()
afterAll(() => removeDir(repo))

const cases: {args: string[]; error: RegExp; hint: RegExp}[] = [
  {args: ['log', '-n', 'abc'], error: /^error: --number needs a whole number, not "abc"$/m, hint: /^hint: e\.g\. --number 10; see `git pare log --help`$/m},
  {args: ['log', '--number', '0'], error: /^error: --number needs a whole number ≥ 1, not "0"$/m, hint: /--number 1;/},
  {args: ['run', '--max-tool-calls', '9999', 'x'], error: /^error: --max-tool-calls needs a whole number ≤ 500, not "9999"$/m, hint: /git pare run --help/},
  {args: ['log', '--numbr', '3'], error: /^error: unknown flag --numbr$/m, hint: /did you mean --number\?/},
  {args: ['log', '--kind', 'foo'], error: /^error: --kind: "foo" is not one of plan, checkpoint, session$/m, hint: /git pare log --help/},
  {args: ['run'], error: /^error: missing argument TASK$/m, hint: /git pare run --help/},
]

describe('parse errors', () => {
  for (const c of cases) {
    it(`git pare ${c.args.join(' ')}: one line, a hint, exit 2`, () => {
      const res = runCli(c.args, {cwd: repo})
      expect(res.code).toBe(2)
      expect(res.stderr).toMatch(c.error)
      expect(res.stderr).toMatch(c.hint)
      // no usage dump, no oclif arrows
      expect(res.stderr).not.toMatch(/USAGE|›/)
      expect(res.stderr.trim().split('\n')).toHaveLength(2)
      expect(res.stdout).toBe('')
    })
  }

  it('--json: the envelope carries the usage error and the process exits with its status', () => {
    for (const args of [['log', '-n', 'abc', '--json'], ['log', '--json', '--bogus'], ['run', '--json']]) {
      const res = runCli(args, {cwd: repo})
      const out = JSON.parse(res.stdout)
      expect(out.status).toBe(2)
      expect(res.code).toBe(out.status)
      expect(out.error.code).toBe('usage')
      expect(out.error.message).not.toMatch(/\n/)
      expect(out.error.hint).toMatch(/--help/)
    }
  })

  it('valid flags still work', () => {
    const res = runCli(['log', '-n', '3'], {cwd: repo})
    expect(res.code).toBe(0)
  })
})
