import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {paragraphs} from '../../src/cli/help.js'
import {projectRoot, runCli, tempDir} from '../support/repo.js'

// Help reads like git's: people type `git pare`, so usage, examples and the man page say that; descriptions come out
// as paragraphs wrapped to the terminal, and flag descriptions start in lower case like git's.
const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, {hidden?: boolean; examples?: unknown[]; flags?: Record<string, {description?: string; summary?: string}>}>
}
const visible = Object.entries(manifest.commands).filter(([, c]) => !c.hidden)

describe('help', {timeout: 300_000}, () => {
  const cwd = tempDir('pare-help-')

  it('root help: usage says git pare, and nothing says git-pare as a command', () => {
    const r = runCli(['--help'], {cwd})
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('$ git pare [COMMAND]')
    expect(r.stdout).toContain('Display help for git pare.')
    expect(r.stdout).not.toMatch(/git-pare /)
  })

  it.each(visible.map(([id]) => id.replaceAll(':', ' ')))('%s --help: usage and examples say git pare', (id) => {
    const r = runCli([...id.split(' '), '--help'], {cwd})
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`$ git pare ${id}`)
    expect(r.stdout).not.toMatch(/git-pare /)
    if (manifest.commands[id.replaceAll(' ', ':')]!.examples?.length) expect(r.stdout).toMatch(/EXAMPLES\n[\s\S]*git pare /)
    expect(r.stdout).toMatch(/--json\s+print one JSON object/)
  })

  it('descriptions are paragraphs: source line breaks are not kept, lists are', () => {
    const r = runCli(['run', '--help'], {cwd, env: {OCLIF_COLUMNS: '200'}})
    // Written over two source lines in run.ts; on a wide terminal it is one line.
    expect(r.stdout).toMatch(/the\s+work tree is recorded as checkpoint N under refs\/parecode\/ \(N is printed\): `git pare show N` shows what the run changed/)
    expect(paragraphs('one\ntwo\n\n- a\n- b\n  c\nthree\nfour')).toBe('one two\n\n- a\n- b\n  c\nthree four')
  })

  it('every flag description starts in lower case', () => {
    const upper = visible.flatMap(([id, c]) =>
      Object.entries(c.flags ?? {})
        .filter(([name]) => name !== 'json') // oclif's own: the help class rewrites it
        .filter(([, f]) => /^[A-Z][a-z]/.test(f.description ?? f.summary ?? ''))
        .map(([name, f]) => `${id} --${name}: ${f.description ?? f.summary}`),
    )
    expect(upper).toEqual([])
  })

  it('the man page says git pare, with the examples', () => {
    const man = readFileSync(path.join(projectRoot, 'man/man1/git-pare.1'), 'utf8')
    const body = man.split('\n.SH SYNOPSIS')[1]!
    expect(body).toContain('.B git pare')
    expect(body).toContain('git pare setup \\-\\-json')
    expect(body).not.toContain('config.bin')
    // Only the NAME line names the page itself, git-pare (that is what `man git-pare` looks up).
    expect(body.replaceAll('\\-', '-')).not.toMatch(/(^|\s)git-pare\s/m)
  })
})
