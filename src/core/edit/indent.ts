/**
 * Indentation the model got wrong in form only: the whole block shifted by a constant, tabs written
 * as 2/4/8 spaces (or the reverse), or a 2-space file written with 4-space steps (or the reverse).
 * Nesting is preserved by every one of these; anything else is a content change.
 */
export interface Shift {
  tabw: number
  /** File columns = model columns * scale + delta. */
  scale: number
  delta: number
  /** The model's indentation equals the file's on every line: nothing to re-indent. */
  same: boolean
  useTabs: boolean
}

/** Columns of an indent string with tab stops every `tabw`. */
export function cols(indent: string, tabw: number): number {
  let c = 0
  for (const ch of indent) c = ch === '\t' ? (Math.floor(c / tabw) + 1) * tabw : c + 1
  return c
}

/** The one mapping of the model's indents onto the file's, or undefined when none exists. */
export function findShift(pairs: {file: string; model: string}[], useTabs: boolean): Shift | undefined {
  if (pairs.every((p) => p.file === p.model)) return {tabw: 4, scale: 1, delta: 0, same: true, useTabs}
  const fits: Shift[] = []
  for (const scale of [1, 0.5, 2]) {
    for (const tabw of [4, 2, 8]) {
      const ds = pairs.map((p) => cols(p.file, tabw) - cols(p.model, tabw) * scale)
      if (ds.every((d) => d === ds[0] && Number.isInteger(d))) fits.push({tabw, scale, delta: ds[0] ?? 0, same: false, useTabs})
    }
    const best = fits.find((f) => f.delta === 0) ?? fits[0]
    if (best) return best
  }
  return undefined
}

/** Re-indent a line the model wrote into the file's frame. */
export function reindent(line: string, s: Shift): string {
  if (s.same) return line
  const m = /^[ \t]*/.exec(line)![0]
  if (m.length === line.length) return ''
  const c = Math.max(0, Math.round(cols(m, s.tabw) * s.scale) + s.delta)
  const ind = s.useTabs ? '\t'.repeat(Math.floor(c / s.tabw)) + ' '.repeat(c % s.tabw) : ' '.repeat(c)
  return ind + line.slice(m.length)
}
