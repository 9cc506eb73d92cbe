import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {ExitCode} from '../../src/core/errors/pare-error.js'
import {projectRoot} from '../support/repo.js'

// README's exit-code table is the contract: it lists exactly the codes ExitCode defines, and no source file exits
// with a number outside it.
const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8')
const section = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('\n## ', readme.indexOf('## Exit codes') + 3))
const rows = [...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => ({code: Number(m[1]), meaning: m[2]!}))

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') || p.endsWith('.js') ? [p] : []
  })
}

describe('exit codes', () => {
  it('README lists every code ExitCode defines, each once, with a meaning', () => {
    expect(rows.map((r) => r.code).sort((a, b) => a - b)).toEqual([...new Set(Object.values(ExitCode))].sort((a, b) => a - b))
    for (const r of rows) expect(r.meaning.trim().length).toBeGreaterThan(3)
  })

  it('no source exits with a number that is not in the table', () => {
    const known = new Set(rows.map((r) => r.code))
    const found: string[] = []
    for (const file of [...sources(path.join(projectRoot, 'src')), ...sources(path.join(projectRoot, 'bin'))]) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/(?:exitCode\s*[=:]\s*|\.exit\(\s*)(\d+)/g)) {
        if (!known.has(Number(m[1]))) found.push(`${path.relative(projectRoot, file)}: ${m[0]}`)
      }
    }
    expect(found).toEqual([])
  })

  it('every ExitCode name is used somewhere in src', () => {
    const all = sources(path.join(projectRoot, 'src')).map((f) => readFileSync(f, 'utf8')).join('\n')
    const unused = Object.entries(ExitCode).filter(([name, code]) => !new RegExp(`ExitCode\\.${name}\\b`).test(all) && code !== 0)
    expect(unused.map(([n]) => n)).toEqual([])
  })
})
