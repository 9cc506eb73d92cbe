import type {Node} from '@vscode/tree-sitter-wasm'
import {Collector, fieldText, kids} from './extract-common.js'

const isExported = (name: string) => /^[A-Z]/.test(name)

/** Go: funcs, methods (parent = receiver type), types, consts and vars; exported = capitalised. */
export function extractGo(root: Node): Collector {
  const c = new Collector()
  for (const n of kids(root)) {
    switch (n.type) {
      case 'function_declaration': {
        const name = fieldText(n, 'name')
        if (name) c.add(n, name, 'function', isExported(name))
        break
      }
      case 'method_declaration': {
        const name = fieldText(n, 'name')
        const recv = n.childForFieldName('receiver')
        const parent = recv ? receiverType(recv) : undefined
        if (name) c.add(n, name, 'method', isExported(name) && (!parent || isExported(parent)), {parent})
        break
      }
      case 'type_declaration':
        for (const spec of kids(n)) {
          const name = fieldText(spec, 'name')
          if (!name || (spec.type !== 'type_spec' && spec.type !== 'type_alias')) continue
          const t = spec.childForFieldName('type')?.type
          c.add(kids(n).length === 1 ? n : spec, name, t === 'struct_type' ? 'struct' : t === 'interface_type' ? 'interface' : 'type', isExported(name))
        }
        break
      case 'const_declaration':
      case 'var_declaration':
        specs(c, n, n.type === 'const_declaration' ? 'constant' : 'variable')
        break
    }
  }
  return c
}

function specs(c: Collector, n: Node, kind: 'constant' | 'variable'): void {
  for (const s of kids(n)) {
    if (s.type === 'var_spec_list') {
      specs(c, s, kind)
      continue
    }
    if (s.type !== 'const_spec' && s.type !== 'var_spec') continue
    for (const id of s.childrenForFieldName('name')) if (id) c.add(s, id.text, kind, isExported(id.text))
  }
}

function receiverType(recv: Node): string | undefined {
  const p = kids(recv).find((k) => k.type === 'parameter_declaration')
  let t = p?.childForFieldName('type')
  while (t && t.type !== 'type_identifier') t = t.type === 'pointer_type' ? kids(t)[0] : t.childForFieldName('type') ?? kids(t)[0]
  return t?.text
}
