// Tool results in tokens: what each tool costs the model on a generated repository (o200k), and how
// long it takes. Tokens are the product: this is where a verbose tool shows up.
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {encode} from 'gpt-tokenizer/encoding/o200k_base'
import {ReadCache} from '../dist/core/context/read-cache.js'
import {allTools, runToolCall, toolSchemas, toolsFor} from '../dist/core/tools/registry.js'

function makeRepo() {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-bench-tools-')))
  const write = (rel, text) => {
    mkdirSync(path.dirname(path.join(dir, rel)), {recursive: true})
    writeFileSync(path.join(dir, rel), text)
  }
  // 2,000 source files in 40 packages, plus ignored output the tools must not show.
  for (let p = 0; p < 40; p++) {
    for (let f = 0; f < 50; f++) {
      write(`packages/pkg${p}/src/mod${f}.ts`, `export function handler${p}_${f}(input: string) {\n  return validateToken(input) + ${f}\n}\n`)
    }
  }
  for (let i = 0; i < 500; i++) write(`node_modules/dep${i}/index.js`, 'module.exports = 1\n')
  write('.gitignore', 'node_modules/\n')
  write('big.ts', Array.from({length: 20_000}, (_, i) => `export const value${i} = compute(${i}) // line ${i + 1}`).join('\n') + '\n')
  write('README.md', '# bench\n')
  const env = {...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b'}
  execFileSync('git', ['init', '-q', '-b', 'main'], {cwd: dir, env})
  execFileSync('git', ['add', '-A'], {cwd: dir, env})
  execFileSync('git', ['commit', '-q', '-m', 'init'], {cwd: dir, env})
  return dir
}

const tokens = (s) => encode(s).length

export default async function toolsBench() {
  const root = makeRepo()
  try {
    const rows = []
    const data = {schemas: {}, results: []}
    for (const [name, tools] of [
      ['schemas: all 8 tools', allTools()],
      ['schemas: anchors+patch off', toolsFor({editFormat: {anchors: false, patch: false}})],
      ['schemas: quick mode', toolsFor({quick: true})],
    ]) {
      const t = tokens(JSON.stringify(toolSchemas(tools)))
      rows.push([name, t, '', ''])
      data.schemas[name] = t
    }
    const readCache = new ReadCache()
    const cases = [
      ['list_files (2,000 files, 500 ignored)', 'list_files', {}],
      ['search: 2,000 matches', 'search', {pattern: 'validateToken'}],
      ['search: no match', 'search', {pattern: 'no_such_identifier'}],
      ['read_file 20k lines (default 150)', 'read_file', {path: 'big.ts'}],
      ['read_file again (cache hit)', 'read_file', {path: 'big.ts'}],
      ['read_file 150 lines, anchors off', 'read_file', {path: 'big.ts', line_range: '151-300'}, {anchors: false, patch: true}],
      ['read_file symbols of 20k lines', 'read_file', {path: 'big.ts', symbols: true}],
      ['bash: 5,000 output lines', 'bash', {command: 'seq 1 5000; echo "error: boom"; seq 1 100'}],
    ]
    let n = 0
    for (const [label, tool, args, editFormat] of cases) {
      const ctx = {root, callId: `c${++n}`, readCache, env: {PATH: process.env.PATH}, editFormat}
      const t0 = process.hrtime.bigint()
      const r = await runToolCall(allTools(), tool, JSON.stringify(args), ctx)
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      const t = tokens(r.content)
      rows.push([label, t, Math.round(ms), r.summary])
      data.results.push({label, tool, args, tokens: t, ms, summary: r.summary, ok: r.ok})
    }
    return {title: 'Tool results (o200k tokens, ms)', columns: ['case', 'tokens', 'ms', 'summary'], rows, data}
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
}
