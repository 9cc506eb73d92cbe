import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, symlinkSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {gitEnv, makeRepo, projectRoot, removeDir, runCli, tempDir, writeFiles} from '../support/repo.js'

// CLI-wide behaviour, through the built CLI (`PARE_BUILD_LENIENT=1 npm run build` first).
let repo: string
let outside: string
const version = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version as string

beforeAll(() => {
  repo = makeRepo()
  outside = tempDir('pare-outside-')
})

afterAll(() => {
  removeDir(repo)
  removeDir(outside)
})

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)

describe.each([
  ['inside a repository', () => repo],
  ['outside any repository', () => outside],
])('help and version %s', (_where, cwd) => {
  it.each([['--help'], ['-h'], ['help']])('%s lists the commands', (flag) => {
    const r = runCli([flag], {cwd: cwd()})
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('USAGE')
    expect(r.stdout).toMatch(/^\s+config\s+Show the resolved model profile/m)
  })

  it.each([['--version'], ['-v']])('%s prints the version', (flag) => {
    const r = runCli([flag], {cwd: cwd()})
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`git-pare/${version}`)
  })

  it('config --help shows the shared model flags', () => {
    const r = runCli(['config', '--help'], {cwd: cwd()})
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('--base-url=<value>')
    expect(r.stdout).toContain('--profile=<value>')
  })
})

describe('bad input', () => {
  it('suggests the nearest command for an unknown one, without a TTY, exit 2', () => {
    const r = runCli(['confg'], {cwd: repo})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: unknown command "confg"; did you mean "config"?')
    noStack(r.stderr)
  })

  it('says so when nothing is close', () => {
    const r = runCli(['qqqqqqqq'], {cwd: repo})
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe('error: unknown command "qqqqqqqq"')
  })

  it('rejects an unknown flag in one line with a hint and exit 2', () => {
    const r = runCli(['config', '--frobnicate'], {cwd: repo})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: unknown flag --frobnicate')
    expect(r.stderr).toContain('hint: see `git pare config --help`')
    noStack(r.stderr)
  })

  it('shows no stack trace for a user error, and one with DEBUG=git-pare*', () => {
    // The user's own config is always read (a repository's is read only once approved).
    const bad = makeRepo({'README.md': 'x\n'})
    const home = tempDir('pare-home-')
    writeFiles(home, {'.config/parecode/config.yaml': 'profiles: [oops\n'})
    try {
      const plain = runCli(['config'], {cwd: bad, env: {HOME: home}})
      expect(plain.code).toBe(2)
      expect(plain.stderr).toMatch(/^error: ~\/\.config\/parecode\/config\.yaml:\d+: invalid YAML/)
      noStack(plain.stderr)
      const debug = runCli(['config'], {cwd: bad, env: {HOME: home, DEBUG: 'git-pare*'}})
      expect(debug.code).toBe(2)
      expect(debug.stderr).toMatch(/^\s+at .+/m)
    } finally {
      removeDir(bad)
      removeDir(home)
    }
  })

  it.skipIf(!existsSync(path.join(projectRoot, 'dist/commands/stats.js')))('a command that needs a repository says so in one line outside one', () => {
    const r = runCli(['stats'], {cwd: outside})
    expect(r.code).toBe(3)
    expect(r.stderr.split('\n')[0]).toBe(`error: not a git repository: ${outside}`)
    noStack(r.stderr)
  })
})

describe('through git', () => {
  let bin: string
  beforeAll(() => {
    // What `npm install -g` gives: git-pare on PATH, so git dispatches `git pare`.
    bin = tempDir('pare-bin-')
    symlinkSync(path.join(projectRoot, 'bin/run.js'), path.join(bin, 'git-pare'))
  })
  afterAll(() => removeDir(bin))

  const git = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync('git', args, {
      cwd: repo,
      encoding: 'utf8',
      env: {...process.env, ...gitEnv, PATH: `${bin}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1', PARECODE_NO_OLLAMA_PROBE: '1', ...env},
    })

  it('git pare --version and git pare -h', () => {
    expect(git(['pare', '--version']).stdout).toContain(`git-pare/${version}`)
    const h = git(['pare', '-h'])
    expect(h.status).toBe(0)
    expect(h.stdout).toContain('USAGE')
  })

  it('git pare config works and reads the repository file', () => {
    writeFiles(repo, {'.parecode/config.yaml': 'profiles:\n  r:\n    base_url: http://127.0.0.1:9/v1\n    model: m\n'})
    const home = tempDir('pare-home-')
    mkdirSync(path.join(home, '.config'))
    try {
      const env = {HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_STATE_HOME: path.join(home, '.local/state'), OPENAI_API_KEY: '', OPENROUTER_API_KEY: '', PARECODE_API_KEY: '', PARECODE_MODEL: '', PARECODE_BASE_URL: ''}
      // A repository's config is used once the user approved it.
      expect(JSON.parse(git(['pare', 'config', '--json'], env).stdout).result).toMatchObject({configured: false})
      expect(git(['pare', 'trust', '--yes'], env).status).toBe(0)
      const r = git(['pare', 'config', '--json'], env)
      expect(r.status).toBe(0)
      expect(JSON.parse(r.stdout).result).toMatchObject({profile: 'r', configured: true})
    } finally {
      removeDir(home)
      removeDir(path.join(repo, '.parecode'))
    }
  })

  const hasMan = spawnSync('man', ['-w', 'man'], {encoding: 'utf8'}).status === 0
  it.skipIf(!hasMan)('git pare --help opens the man page (git turns it into `git help pare`)', () => {
    const r = git(['pare', '--help'], {MANPATH: path.join(projectRoot, 'man'), MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '80'})
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('GIT-PARE(1)')
    expect(r.stdout).toMatch(/git pare config/)
  })

  it('package.json lists the man page where MANPATH=<package>/man finds it', () => {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'))
    expect(pkg.man).toEqual(['./man/man1/git-pare.1'])
    expect(existsSync(path.join(projectRoot, 'man/man1/git-pare.1'))).toBe(true)
  })
})
