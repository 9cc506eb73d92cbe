// Edit corpus score: every case of test/fixtures/edits through the built edit_file, per family.
import {mkdtempSync, realpathSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {ReadCache} from '../dist/core/context/read-cache.js'
import {lineHash} from '../dist/core/tools/anchors.js'
import editFile from '../dist/core/tools/edit-file.js'
import patchFile from '../dist/core/tools/patch-file.js'
import {cases, expectedBytes, runCorpus, runPatchCorpus, source} from '../test/fixtures/edits/run-corpus.mjs'

// Two baselines on the same corpus, for scale: plain str_replace (exact and unique, else refuse), and
// the usual fuzzy fallback (first place whose lines match once each line is trimmed; new_str verbatim).
function exactOnly(text, o, n) {
  const at = text.indexOf(o)
  if (o === '' || at < 0 || text.indexOf(o, at + 1) >= 0) return undefined
  return text.slice(0, at) + n + text.slice(at + o.length)
}
function trimFallback(text, o, n) {
  const hit = exactOnly(text, o, n)
  if (hit !== undefined || text.includes(o)) return hit
  const lines = text.split('\n')
  const want = o.replace(/\r?\n$/, '').split(/\r?\n/).map((l) => l.trim())
  for (let i = 0; i + want.length <= lines.length; i++) {
    if (want.every((w, j) => lines[i + j].trim() === w)) return [...lines.slice(0, i), n.replace(/\r?\n$/, ''), ...lines.slice(i + want.length)].join('\n')
  }
  return undefined
}
function baseline(fn) {
  const out = new Map()
  for (const c of cases) {
    const text = source(c).toString('utf8')
    const got = fn(text, c.old_str, c.new_str)
    const outcome = got === undefined || got === text ? 'refused' : c.expect !== 'refused' && Buffer.from(got, 'utf8').equals(expectedBytes(c)) ? 'applied' : 'wrong'
    out.set(c.id, outcome)
  }
  return out
}

export default async () => {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-edits-')))
  let n = 0
  const makeCtx = (r) => ({root: r, callId: `bench_${++n}`, readCache: new ReadCache()})
  const t0 = performance.now()
  let rows
  let patchRows
  try {
    rows = await runCorpus(editFile, {root, makeCtx, lineHash})
    patchRows = await runPatchCorpus(patchFile, {root, makeCtx})
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
  const ms = performance.now() - t0
  const exact = baseline(exactOnly)
  const trim = baseline(trimFallback)
  const fams = new Map()
  for (const r of rows) {
    const f = fams.get(r.family) ?? {family: r.family, want: r.want, cases: 0, applied: 0, refused: 0, wrong: 0, exact_applied: 0, exact_wrong: 0, trim_applied: 0, trim_wrong: 0}
    f.cases++
    f[r.outcome]++
    if (exact.get(r.id) === 'applied') f.exact_applied++
    if (exact.get(r.id) === 'wrong') f.exact_wrong++
    if (trim.get(r.id) === 'applied') f.trim_applied++
    if (trim.get(r.id) === 'wrong') f.trim_wrong++
    fams.set(r.family, f)
  }
  const list = [...fams.values()].sort((a, b) => (a.want === b.want ? 0 : a.want === 'apply' ? -1 : 1))
  const keys = ['applied', 'refused', 'wrong', 'exact_applied', 'exact_wrong', 'trim_applied', 'trim_wrong']
  const total = {family: 'TOTAL', want: '', cases: rows.length, ...Object.fromEntries(keys.map((k) => [k, 0]))}
  for (const f of list) for (const k of keys) total[k] += f[k]
  const patchFams = new Map()
  for (const r of patchRows) {
    const f = patchFams.get(r.family) ?? {family: r.family, want: r.want, cases: 0, applied: 0, refused: 0, wrong: 0}
    f.cases++
    f[r.outcome]++
    patchFams.set(r.family, f)
  }
  const patchList = [...patchFams.values()]
  const patchRow = (f) => [f.family, f.want, f.cases, f.applied, f.refused, f.wrong, '', '']
  const asRow = (f) => [f.family, f.want, f.cases, f.applied, f.refused, f.wrong, `${f.exact_applied}/${f.exact_wrong}`, `${f.trim_applied}/${f.trim_wrong}`]
  return {
    title: `Edit corpus: ${rows.length} edit_file cases, then ${patchRows.length} patch_file cases (${(ms / (rows.length + patchRows.length)).toFixed(1)} ms per call)`,
    columns: ['family', 'expected', 'cases', 'applied', 'refused', 'wrong', 'str_replace ok/wrong', 'trim-fallback ok/wrong'],
    rows: [...list.map(asRow), asRow(total), ...patchList.map(patchRow)],
    data: {families: list, total, patch_families: patchList, ms_per_call: ms / rows.length, cases: [...rows, ...patchRows].map(({id, family, want, outcome}) => ({id, family, want, outcome}))},
  }
}
