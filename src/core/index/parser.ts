import {createRequire} from 'node:module'
import path from 'node:path'
import type {Language, Parser, Tree} from '@vscode/tree-sitter-wasm'
import type {LanguageInfo} from './languages.js'

type Runtime = typeof import('@vscode/tree-sitter-wasm')

let runtime: Promise<{ts: Runtime; dir: string} | undefined> | undefined
const languages = new Map<string, Promise<Language | undefined>>()
const parsers = new Map<string, Parser>()

// The runtime is a UMD bundle: loaded lazily (wasm init costs ~30 ms) and only once per process.
function loadRuntime(): Promise<{ts: Runtime; dir: string} | undefined> {
  runtime ??= (async () => {
    try {
      const mod = (await import('@vscode/tree-sitter-wasm')) as Runtime & {default?: Runtime}
      const ts = mod.default ?? mod
      const dir = path.dirname(createRequire(import.meta.url).resolve('@vscode/tree-sitter-wasm'))
      await ts.Parser.init({locateFile: (file: string) => path.join(dir, file)})
      return {ts, dir}
    } catch {
      return undefined
    }
  })()
  return runtime
}

async function loadLanguage(grammar: string): Promise<Language | undefined> {
  let p = languages.get(grammar)
  if (!p) {
    p = (async () => {
      const rt = await loadRuntime()
      if (!rt) return undefined
      try {
        return await rt.ts.Language.load(path.join(rt.dir, `tree-sitter-${grammar}.wasm`))
      } catch {
        return undefined
      }
    })()
    languages.set(grammar, p)
  }
  return p
}

/**
 * Parse text with the language's tree-sitter grammar and hand the tree to `use`; the tree's wasm memory is
 * freed afterwards. Undefined when there is no grammar or the parser gives up.
 */
export async function withTree<T>(lang: LanguageInfo, text: string, use: (tree: Tree) => T, opts: {timeoutMs?: number} = {}): Promise<T | undefined> {
  if (!lang.grammar) return undefined
  const language = await loadLanguage(lang.grammar)
  const rt = await loadRuntime()
  if (!language || !rt) return undefined
  let parser = parsers.get(lang.grammar)
  if (!parser) {
    parser = new rt.ts.Parser()
    parser.setLanguage(language)
    parsers.set(lang.grammar, parser)
  }
  let tree: Tree | null = null
  try {
    // A pathological file must not stall the index: give up after 2 s of parsing (returning true cancels).
    const deadline = Date.now() + (opts.timeoutMs ?? 2000)
    const progressCallback = (() => Date.now() > deadline) as unknown as () => void
    tree = parser.parse(text, null, {progressCallback})
    if (!tree) {
      parser.reset()
      return undefined
    }
    return use(tree)
  } catch {
    return undefined
  } finally {
    tree?.delete()
  }
}
