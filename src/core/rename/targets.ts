import path from 'node:path'
import {UsageError} from '../errors/index.js'
import {identifierOccurrences, wordOccurrences, type Occurrence} from '../index/identifiers.js'
import {languageOf} from '../index/languages.js'
import type {Index, SymbolHit} from '../index/symbol-index.js'
import {git} from '../store/git.js'
import {readRepoFile} from '../fs/repo-file.js'

export type RenameKind = 'symbol' | 'text'

/** One file a rename changes: its text before and after, and where. */
export interface FileEdit {
  path: string
  before: string
  after: string
  occurrences: Occurrence[]
  /** False where no grammar knew the file: whole-word matches, strings and comments included. */
  exact: boolean
}

export interface RenameTargets {
  definitions: {path: string; line: number}[]
  edits: FileEdit[]
  skipped: {path: string; reason: string}[]
  warnings: string[]
}

const MAX_BYTES = 4 << 20
const IDENT = /^[A-Za-z_$][\w$]*$/
// Languages whose files can refer to each other's names.
const family = (p: string) => ({tsx: 'typescript', javascript: 'typescript', cpp: 'c'})[languageOf(p)?.id ?? ''] ?? languageOf(p)?.id

/** Files containing `word` as a whole word (git's notion, a superset of ours): tracked, plus untracked when asked. */
async function filesWith(root: string, word: string, untracked: boolean, signal?: AbortSignal): Promise<string[]> {
  const res = await git(['grep', '-l', '-z', '-I', '-F', '-w', '--no-color', ...(untracked ? ['--untracked'] : []), '-e', word, '--', '.'], {cwd: root, allowFail: true, signal})
  return res.code === 0 ? res.stdout.split('\0').filter(Boolean) : []
}

async function readText(root: string, rel: string): Promise<string | {reason: string}> {
  const r = await readRepoFile(root, rel, {maxBytes: MAX_BYTES})
  if (!r.ok) return {reason: r.reason}
  const text = r.content.toString('utf8')
  // Only text that survives a round trip is rewritten: a Latin-1 file would be corrupted by UTF-8 re-encoding.
  if (!Buffer.from(text, 'utf8').equals(r.content)) return {reason: 'not UTF-8'}
  return text
}

const stripExt = (p: string) => p.replace(/\.(d\.)?[cm]?[jt]sx?$|\.py$/, '').replace(/\/(index|__init__)$/, '')

/** Whether a file imports from `target` (a relative JS/TS specifier or a Python module path that leads to it). */
function importsFrom(file: string, text: string, target: string): boolean {
  const want = stripExt(target)
  for (const m of text.matchAll(/(?:from|import|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    if (stripExt(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!))) === want) return true
  }
  for (const m of text.matchAll(/^\s*from\s+([\w.]+)\s+import\b/gm)) {
    const mod = m[1]!
    const dots = /^\.*/.exec(mod)![0].length
    const rest = mod.slice(dots).replace(/\./g, '/')
    const resolved = dots ? path.posix.normalize(path.posix.join(path.posix.dirname(file), '../'.repeat(dots - 1), rest)) : rest
    if (want === resolved || want.endsWith(`/${resolved}`)) return true
  }
  return false
}

function definitionsOf(index: Index, name: string): SymbolHit[] {
  return index.findSymbol(name).filter((h) => h.symbol.kind !== 'impl')
}

/**
 * The files a symbol rename changes: the definition's file and every file of its language family that names it
 * (identifier leaves of the syntax tree, so strings and comments stay). Several definitions are refused unless `inFile`
 * picks one; then other files change only when they import from it. No model, no guessing.
 */
export async function symbolTargets(root: string, index: Index, oldName: string, newName: string, opts: {inFile?: string; signal?: AbortSignal} = {}): Promise<RenameTargets> {
  const member = oldName.replace(/::/g, '.').split('.')
  const word = member.at(-1)!
  const newWord = newName.replace(/::/g, '.').split('.').at(-1)!
  if (!member.every((m) => IDENT.test(m))) throw new UsageError(`"${oldName}" is not a symbol name`, 'rename a plain word with --kind text', 'bad_name')
  if (!IDENT.test(newWord)) throw new UsageError(`"${newName}" is not a valid identifier`, undefined, 'bad_name')
  let defs = definitionsOf(index, oldName)
  if (!defs.length) throw new UsageError(`the symbol index has no definition of "${oldName}"`, 'check the name (`git pare rename` renames functions, classes, types, …); for any word use --kind text', 'no_definition')
  const defFiles = [...new Set(defs.map((d) => d.path))]
  const list = (hs: SymbolHit[]) => hs.slice(0, 5).map((h) => `${h.path}:${h.symbol.startLine}`).join(', ') + (hs.length > 5 ? ` and ${hs.length - 5} more` : '')
  if (opts.inFile !== undefined) {
    const inFile = opts.inFile.replace(/^\.\//, '')
    defs = defs.filter((d) => d.path === inFile)
    if (!defs.length) throw new UsageError(`"${oldName}" is not defined in ${inFile}`, `it is defined in ${list(definitionsOf(index, oldName))}`, 'no_definition')
  } else if (defFiles.length > 1) {
    throw new UsageError(`"${oldName}" is defined in ${defFiles.length} files: ${list(defs)}`, 'pick one with --in <file>', 'ambiguous')
  }
  const home = defs[0]!.path
  const taken = definitionsOf(index, newName.includes('.') ? newName : newWord).filter((h) => family(h.path) === family(home))
  if (taken.length) throw new UsageError(`"${newWord}" is already defined: ${list(taken)}`, 'pick another name', 'name_taken')
  const ambiguous = defFiles.length > 1
  const out: RenameTargets = {definitions: defs.map((d) => ({path: d.path, line: d.symbol.startLine})), edits: [], skipped: [], warnings: []}
  const candidates = new Set([home, ...(await filesWith(root, word, true, opts.signal))])
  for (const file of [...candidates].sort()) {
    if (family(file) !== family(home)) continue
    const text = await readText(root, file)
    if (typeof text !== 'string') {
      out.skipped.push({path: file, reason: text.reason})
      continue
    }
    if (file !== home && ambiguous) {
      if (defFiles.includes(file)) {
        out.skipped.push({path: file, reason: `defines its own ${word}`})
        continue
      }
      if (!importsFrom(file, text, home)) {
        out.skipped.push({path: file, reason: `does not import it from ${home}`})
        continue
      }
    }
    const {occurrences, exact} = await identifierOccurrences(file, text, word)
    if (!occurrences.length) continue
    if ((await identifierOccurrences(file, text, newWord)).occurrences.length) out.warnings.push(`${file} already uses the name ${newWord}`)
    out.edits.push({path: file, before: text, after: '', occurrences, exact})
  }
  return out
}

/** A literal whole-word replace across tracked text files (word characters: letters, digits, `_`). */
export async function textTargets(root: string, oldText: string, newText: string, opts: {signal?: AbortSignal} = {}): Promise<RenameTargets> {
  if (!oldText || /[\n\r]/.test(oldText + newText)) throw new UsageError('the text to replace must be one non-empty line', undefined, 'bad_name')
  const out: RenameTargets = {definitions: [], edits: [], skipped: [], warnings: []}
  for (const file of (await filesWith(root, oldText, false, opts.signal)).sort()) {
    const text = await readText(root, file)
    if (typeof text !== 'string') {
      out.skipped.push({path: file, reason: text.reason})
      continue
    }
    const occurrences = wordOccurrences(text, oldText, '\\w')
    if (occurrences.length) out.edits.push({path: file, before: text, after: '', occurrences, exact: true})
  }
  return out
}
