import type {Node} from '@vscode/tree-sitter-wasm'
import type {SymbolInfo} from './file-symbols.js'
import {Collector, fieldText, kids} from './extract-common.js'

const typeKinds: Record<string, SymbolInfo['kind']> = {
  class_declaration: 'class',
  interface_declaration: 'interface',
  trait_declaration: 'trait',
  enum_declaration: 'enum',
}

/** PHP: functions, constants, classes, interfaces, traits and enums with their public members. */
export function extractPhp(root: Node): Collector {
  const c = new Collector()
  items(c, root)
  return c
}

function items(c: Collector, container: Node): void {
  for (const n of kids(container)) {
    if (n.type === 'namespace_definition') {
      const b = n.childForFieldName('body')
      if (b) items(c, b)
    } else if (n.type === 'function_definition') c.add(n, fieldText(n, 'name'), 'function', true)
    else if (n.type === 'const_declaration') {
      for (const e of kids(n)) if (e.type === 'const_element') c.add(n, kids(e)[0]?.text, 'constant', true)
    } else if (typeKinds[n.type]) {
      const name = fieldText(n, 'name')
      if (!name) continue
      c.add(n, name, typeKinds[n.type]!, true)
      const b = n.childForFieldName('body')
      if (b) members(c, b, name)
    }
  }
}

function members(c: Collector, body: Node, parent: string): void {
  for (const m of kids(body)) {
    const vis = kids(m).find((k) => k.type === 'visibility_modifier')?.text ?? 'public'
    const pub = vis === 'public'
    if (m.type === 'method_declaration') c.add(m, fieldText(m, 'name'), 'method', pub, {parent})
    else if (m.type === 'property_declaration') {
      for (const e of kids(m)) if (e.type === 'property_element') c.add(m, e.childForFieldName('name')?.text.replace(/^\$/, ''), 'field', pub, {parent})
    } else if (m.type === 'const_declaration') {
      for (const e of kids(m)) if (e.type === 'const_element') c.add(m, kids(e)[0]?.text, 'constant', pub, {parent})
    } else if (m.type === 'enum_case') c.add(m, fieldText(m, 'name'), 'constant', true, {parent})
  }
}
