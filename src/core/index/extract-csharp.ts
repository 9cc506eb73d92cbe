import type {Node} from '@vscode/tree-sitter-wasm'
import type {SymbolInfo} from './file-symbols.js'
import {Collector, fieldText, kids} from './extract-common.js'

const typeKinds: Record<string, SymbolInfo['kind']> = {
  class_declaration: 'class',
  record_declaration: 'class',
  interface_declaration: 'interface',
  struct_declaration: 'struct',
  enum_declaration: 'enum',
  delegate_declaration: 'type',
}

const mods = (n: Node) => kids(n).filter((k) => k.type === 'modifier').map((k) => k.text)

/** C#: types in (block or file-scoped) namespaces, with their methods, constructors, properties and fields. */
export function extractCsharp(root: Node): Collector {
  const c = new Collector()
  items(c, root)
  return c
}

function items(c: Collector, container: Node): void {
  for (const n of kids(container)) {
    if (n.type === 'namespace_declaration') {
      const b = n.childForFieldName('body')
      if (b) items(c, b)
    } else if (n.type === 'file_scoped_namespace_declaration') items(c, n)
    else typeDecl(c, n, undefined, true)
  }
}

function typeDecl(c: Collector, n: Node, parent: string | undefined, visible: boolean): void {
  const kind = typeKinds[n.type]
  const name = fieldText(n, 'name')
  if (!kind || !name) return
  const exported = visible && mods(n).includes('public')
  c.add(n, name, kind, exported, {parent})
  const body = n.childForFieldName('body')
  if (!body || n.type === 'enum_declaration') return
  const implicitPublic = n.type === 'interface_declaration'
  for (const m of kids(body)) {
    const ms = mods(m)
    const pub = exported && (ms.includes('public') || (implicitPublic && !ms.includes('private')))
    if (typeKinds[m.type]) typeDecl(c, m, name, pub)
    else if (m.type === 'method_declaration' || m.type === 'constructor_declaration' || m.type === 'operator_declaration') c.add(m, fieldText(m, 'name') ?? name, 'method', pub, {parent: name})
    else if (m.type === 'property_declaration' || m.type === 'event_declaration') c.add(m, fieldText(m, 'name'), 'field', pub, {parent: name})
    else if (m.type === 'field_declaration') {
      const isConst = ms.includes('const') || (ms.includes('static') && ms.includes('readonly'))
      for (const v of kids(m).filter((k) => k.type === 'variable_declaration').flatMap(kids)) {
        if (v.type === 'variable_declarator') c.add(m, fieldText(v, 'name'), isConst ? 'constant' : 'field', pub, {parent: name})
      }
    }
  }
}
