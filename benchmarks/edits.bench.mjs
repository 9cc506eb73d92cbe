// Edit corpus score: every case of test/fixtures/edits through the built edit_file, per family.
import {mkdtempSync, realpathSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {ReadCache} from '../dist/core/context/read-cache.js'
import {lineHash} from '../dist/core/tools/anchors.js'
import editFile from '../dist/core/tools/edit-file.js'
import {runCorpus} from '../test/fixtures/edits/run-corpus.mjs'

export default async () => {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-edits-')))
  let n = 0
  const makeCtx = (r) => ({root: r, callId: `bench_${++n}`, readCache: new ReadCache()})
  const t0 = performance.now()
  let rows
  try {
    rows = await runCorpus(editFile, {root, makeCtx, lineHash})
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
  const ms = performance.now() - t0
  const fams = new Map()
  for (const r of rows) {
    const f = fams.get(r.family) ?? {family: r.family, want: r.want, cases: 0, applied: 0, refused: 0, wrong: 0}
    f.cases++
    f[r.outcome]++
    fams.set(r.family, f)
  }
  const list = [...fams.values()].sort((a, b) => (a.want === b.want ? 0 : a.want === 'apply' ? -1 : 1))
  const total = {family: 'TOTAL', want: '', cases: rows.length, applied: 0, refused: 0, wrong: 0}
  for (const f of list) for (const k of ['applied', 'refused', 'wrong']) total[k] += f[k]
  const asRow = (f) => [f.family, f.want === 'apply' ? 'apply' : f.want === 'refuse' ? 'refuse' : '', f.cases, f.applied, f.refused, f.wrong]
  return {
    title: `Edit corpus through edit_file (${rows.length} cases, ${(ms / rows.length).toFixed(1)} ms per call)`,
    columns: ['family', 'expected', 'cases', 'applied', 'refused', 'wrong'],
    rows: [...list.map(asRow), asRow(total)],
    data: {families: list, total, ms_per_call: ms / rows.length, cases: rows.map(({id, family, want, outcome}) => ({id, family, want, outcome}))},
  }
}
