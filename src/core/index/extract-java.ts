import type {Node} from '@vscode/tree-sitter-wasm'
import type {SymbolInfo} from './file-symbols.js'
import {Collector, fieldText, kids} from './extract-common.js'

const typeKinds: Record<string, SymbolInfo['kind']> = {
  class_declaration: 'class',
  record_declaration: 'class',
  interface_declaration: 'interface',
  annotation_type_declaration: 'interface',
  enum_declaration: 'enum',
}

function modifiers(n: Node): string {
  return kids(n).find((k) => k.type === 'modifiers')?.text ?? ''
}

/** Java: top-level types with their methods, constructors, fields and nested types. */
export function extractJava(root: Node): Collector {
  const c = new Collector()
  for (const n of kids(root)) typeDecl(c, n, undefined, true)
  return c
}

function typeDecl(c: Collector, n: Node, parent: string | undefined, visible: boolean): void {
  const kind = typeKinds[n.type]
  const name = fieldText(n, 'name')
  if (!kind || !name) return
  const exported = visible && /\bpublic\b/.test(modifiers(n))
  c.add(n, name, kind, exported, {parent})
  const body = n.childForFieldName('body')
  if (!body) return
  const implicitPublic = n.type === 'interface_declaration' || n.type === 'annotation_type_declaration'
  const members = kids(body).flatMap((m) => (m.type === 'enum_body_declarations' ? kids(m) : [m]))
  for (const m of members) {
    const mods = modifiers(m)
    const pub = exported && (/\bpublic\b/.test(mods) || (implicitPublic && !/\bprivate\b/.test(mods)))
    if (typeKinds[m.type]) typeDecl(c, m, name, pub)
    else if (m.type === 'method_declaration' || m.type === 'constructor_declaration' || m.type === 'compact_constructor_declaration') c.add(m, fieldText(m, 'name') ?? name, 'method', pub, {parent: name})
    else if (m.type === 'field_declaration' || m.type === 'constant_declaration') {
      for (const d of m.childrenForFieldName('declarator')) {
        const fname = d ? fieldText(d, 'name') : undefined
        if (fname) c.add(m, fname, /\bstatic\b/.test(mods) && /\bfinal\b/.test(mods) ? 'constant' : 'field', pub, {parent: name})
      }
    }
  }
}
