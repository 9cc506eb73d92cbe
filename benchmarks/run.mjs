// `npm run bench [filter]`: run every benchmarks/*.bench.mjs (or those whose name contains the filter),
// print each as an aligned table and write benchmarks/results/<stem>.json.
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const filter = process.argv[2]
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter)))
  .sort()

if (files.length === 0) {
  process.stderr.write(`no benchmark matches "${filter}"\n`)
  process.exit(2)
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function table(columns, rows) {
  const cells = [columns, ...rows].map((r) => r.map((c) => (typeof c === 'number' ? String(Math.round(c * 100) / 100) : String(c ?? ''))))
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'))
  const line = (r) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd()
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n')
}

mkdirSync(path.join(here, 'results'), {recursive: true})
let failed = 0
for (const file of files) {
  const stem = file.replace(/\.bench\.mjs$/, '')
  const started = Date.now()
  try {
    const mod = await import(pathToFileURL(path.join(here, file)).href)
    const result = await mod.default()
    process.stdout.write(`\n${result.title}\n\n${table(result.columns, result.rows)}\n`)
    if (result.note) process.stdout.write(`\n${result.note}\n`)
    process.stdout.write(`(${stem}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`)
    const out = {title: result.title, columns: result.columns, rows: result.rows, data: result.data ?? null, node: process.version, platform: `${process.platform}-${process.arch}`, date: new Date().toISOString()}
    writeFileSync(path.join(here, 'results', `${stem}.json`), JSON.stringify(out, null, 2) + '\n')
  } catch (err) {
    failed++
    process.stderr.write(`\n${stem} failed: ${err?.stack ?? err}\n`)
  }
}
process.exit(failed ? 1 : 0)
