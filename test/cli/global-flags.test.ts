import {afterAll, describe, expect, it} from 'vitest'
import {hoistGlobalFlags} from '../../src/cli/global-flags.js'
import {makeRepo, removeDir, runCli} from '../support/repo.js'

describe('global flags before the command', () => {
  it('moves --json, -v and --verbose after the command, before a `--`', () => {
    expect(hoistGlobalFlags(['--json', 'log'])).toEqual(['log', '--json'])
    expect(hoistGlobalFlags(['-v', 'log', '--limit', '3'])).toEqual(['log', '--limit', '3', '--verbose'])
    expect(hoistGlobalFlags(['-v', '--json', 'plan', 'show'])).toEqual(['plan', 'show', '--verbose', '--json'])
    expect(hoistGlobalFlags(['--json', 'run', '--', '--not-a-flag'])).toEqual(['run', '--json', '--', '--not-a-flag'])
    expect(hoistGlobalFlags(['-v', '--verbose', 'log'])).toEqual(['log', '--verbose'])
  })

  it('leaves everything else as it is', () => {
    expect(hoistGlobalFlags(['-v'])).toEqual(['-v'])
    expect(hoistGlobalFlags(['log', '--json'])).toEqual(['log', '--json'])
    expect(hoistGlobalFlags(['--version', 'log'])).toEqual(['--version', 'log'])
    expect(hoistGlobalFlags(['--json', '-v'])).toEqual(['--json', '-v'])
    expect(hoistGlobalFlags([])).toEqual([])
  })

  const repo = makeRepo()
  afterAll(() => removeDir(repo))

  it('`git pare --json log` and `git pare -v log` run log; `-v` alone still prints the version', () => {
    const json = runCli(['--json', 'log'], {cwd: repo})
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toMatchObject({status: 0})
    const verbose = runCli(['-v', 'log'], {cwd: repo})
    expect(verbose.code).toBe(0)
    expect(verbose.stdout).not.toMatch(/^git-pare\/\d/)
    expect(runCli(['log'], {cwd: repo}).stdout).toBe(verbose.stdout)
    expect(runCli(['-v'], {cwd: repo}).stdout).toMatch(/^git-pare\/\d+\.\d+\.\d+ /)
  })
})
