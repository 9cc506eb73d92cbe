import type {Node} from '@vscode/tree-sitter-wasm'
import {Collector, fieldText, kids} from './extract-common.js'

const isPublic = (name: string, all?: Set<string>) => (all ? all.has(name) : !name.startsWith('_') || /^__\w+__$/.test(name))

/** Python: module-level functions, classes (with methods) and assignments; `__all__` decides what is exported when present. */
export function extractPython(root: Node): Collector {
  const c = new Collector()
  const all = dunderAll(root)
  for (const n of kids(root)) {
    const def = n.type === 'decorated_definition' ? n.childForFieldName('definition') : n
    if (!def) continue
    if (def.type === 'function_definition') {
      const name = fieldText(def, 'name')
      if (name) c.add(n, name, 'function', isPublic(name, all), {decl: def})
    } else if (def.type === 'class_definition') {
      const name = fieldText(def, 'name')
      if (!name) continue
      const exported = isPublic(name, all)
      c.add(n, name, 'class', exported, {decl: def})
      const body = def.childForFieldName('body')
      for (const m of body ? kids(body) : []) {
        const md = m.type === 'decorated_definition' ? m.childForFieldName('definition') : m
        if (md?.type !== 'function_definition') continue
        const mname = fieldText(md, 'name')
        if (mname) c.add(m, mname, 'method', exported && isPublic(mname), {parent: name, decl: md})
      }
    } else if (def.type === 'expression_statement') {
      const a = kids(def)[0]
      if (a?.type !== 'assignment') continue
      const left = a.childForFieldName('left')
      if (left?.type !== 'identifier' || left.text === '__all__') continue
      c.add(n, left.text, /^[A-Z][A-Z0-9_]*$/.test(left.text) ? 'constant' : 'variable', isPublic(left.text, all))
    } else if (def.type === 'type_alias_statement') {
      const name = kids(def)[0]?.text
      if (name) c.add(n, name, 'type', isPublic(name, all))
    }
  }
  return c
}

function dunderAll(root: Node): Set<string> | undefined {
  for (const n of kids(root)) {
    const a = n.type === 'expression_statement' ? kids(n)[0] : undefined
    if (a?.type !== 'assignment' || a.childForFieldName('left')?.text !== '__all__') continue
    const right = a.childForFieldName('right')
    if (!right) return undefined
    return new Set(kids(right).filter((s) => s.type === 'string').map((s) => s.text.replace(/^[rbuf]*['"]+|['"]+$/gi, '')))
  }
  return undefined
}
