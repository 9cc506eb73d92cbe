/** Indentation shifted by a constant, and tabs written as 2/4/8 spaces (or the reverse). */
export interface Shift {
  tabw: number
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

/** The one constant shift mapping the model's indents onto the file's, or undefined when none exists. */
export function findShift(pairs: {file: string; model: string}[], useTabs: boolean): Shift | undefined {
  if (pairs.every((p) => p.file === p.model)) return {tabw: 4, delta: 0, same: true, useTabs}
  const fits: Shift[] = []
  for (const tabw of [4, 2, 8]) {
    const ds = pairs.map((p) => cols(p.file, tabw) - cols(p.model, tabw))
    if (ds.every((d) => d === ds[0])) fits.push({tabw, delta: ds[0] ?? 0, same: false, useTabs})
  }
  return fits.find((f) => f.delta === 0) ?? fits[0]
}

/** Re-indent a line the model wrote into the file's frame. */
export function reindent(line: string, s: Shift): string {
  if (s.same) return line
  const m = /^[ \t]*/.exec(line)![0]
  if (m.length === line.length) return ''
  const c = Math.max(0, cols(m, s.tabw) + s.delta)
  const ind = s.useTabs ? '\t'.repeat(Math.floor(c / s.tabw)) + ' '.repeat(c % s.tabw) : ' '.repeat(c)
  return ind + line.slice(m.length)
}
