/** Languages the index knows. `grammar` names a wasm file of @vscode/tree-sitter-wasm; absent means regex only. */
export interface LanguageInfo {
  id: string
  label: string
  grammar?: 'typescript' | 'tsx' | 'javascript' | 'python' | 'rust' | 'go' | 'java' | 'cpp' | 'ruby' | 'php' | 'c-sharp'
}

const byExt: Record<string, LanguageInfo> = {}
function add(exts: string[], info: LanguageInfo): void {
  for (const e of exts) byExt[e] = info
}

add(['ts', 'mts', 'cts'], {id: 'typescript', label: 'TypeScript', grammar: 'typescript'})
add(['tsx'], {id: 'tsx', label: 'TypeScript', grammar: 'tsx'})
// The JavaScript grammar parses JSX too.
add(['js', 'mjs', 'cjs', 'jsx'], {id: 'javascript', label: 'JavaScript', grammar: 'javascript'})
add(['py', 'pyi'], {id: 'python', label: 'Python', grammar: 'python'})
add(['rs'], {id: 'rust', label: 'Rust', grammar: 'rust'})
add(['go'], {id: 'go', label: 'Go', grammar: 'go'})
add(['java'], {id: 'java', label: 'Java', grammar: 'java'})
// No C grammar ships in the package; C parses well with the C++ grammar (error recovery covers C++ keywords used as names).
add(['c', 'h'], {id: 'c', label: 'C', grammar: 'cpp'})
add(['cc', 'cpp', 'cxx', 'c++', 'hh', 'hpp', 'hxx', 'h++', 'ipp', 'tpp'], {id: 'cpp', label: 'C++', grammar: 'cpp'})
// Regex-only languages: symbols still come out, from the line patterns.
add(['rb', 'rake'], {id: 'ruby', label: 'Ruby', grammar: 'ruby'})
add(['php'], {id: 'php', label: 'PHP', grammar: 'php'})
add(['cs'], {id: 'csharp', label: 'C#', grammar: 'c-sharp'})
add(['kt', 'kts'], {id: 'kotlin', label: 'Kotlin'})
add(['swift'], {id: 'swift', label: 'Swift'})
add(['scala'], {id: 'scala', label: 'Scala'})
add(['lua'], {id: 'lua', label: 'Lua'})
add(['dart'], {id: 'dart', label: 'Dart'})
add(['ex', 'exs'], {id: 'elixir', label: 'Elixir'})
add(['zig'], {id: 'zig', label: 'Zig'})
add(['sh', 'bash'], {id: 'shell', label: 'Shell'})

/** The language of a repo-relative path, from its extension; undefined for files without symbols (docs, data). */
export function languageOf(relPath: string): LanguageInfo | undefined {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1)
  const dot = base.lastIndexOf('.')
  if (dot <= 0) return undefined
  return byExt[base.slice(dot + 1).toLowerCase()]
}
