import type {Node} from '@vscode/tree-sitter-wasm'
import type {SymbolInfo} from './file-symbols.js'
import {Collector, fieldText, kids} from './extract-common.js'

const kinds: Record<string, SymbolInfo['kind']> = {
  function_item: 'function',
  function_signature_item: 'function',
  struct_item: 'struct',
  union_item: 'struct',
  enum_item: 'enum',
  trait_item: 'trait',
  type_item: 'type',
  const_item: 'constant',
  static_item: 'variable',
  mod_item: 'module',
  macro_definition: 'other',
}

const isPub = (n: Node) => kids(n).some((k) => k.type === 'visibility_modifier')

/** Rust: items at the top of the file, trait methods and impl methods (parent = the implementing type). */
export function extractRust(root: Node): Collector {
  const c = new Collector()
  for (const n of kids(root)) {
    if (n.type === 'impl_item') {
      const type = n.childForFieldName('type')
      const name = type ? baseType(type) : undefined
      if (!name) continue
      const trait = n.childForFieldName('trait')
      const methods = kids(n.childForFieldName('body') ?? n).filter((m) => m.type === 'function_item')
      // A trait impl is as public as the trait; an inherent impl exposes its `pub fn`s.
      c.add(n, name, 'impl', Boolean(trait) || methods.some(isPub))
      for (const m of methods) c.add(m, fieldText(m, 'name'), 'method', Boolean(trait) || isPub(m), {parent: name})
      continue
    }
    const kind = kinds[n.type]
    if (!kind) continue
    const name = fieldText(n, 'name')
    c.add(n, name, kind, isPub(n))
    if (n.type === 'trait_item' && name) {
      for (const m of kids(n.childForFieldName('body') ?? n)) {
        if (m.type === 'function_item' || m.type === 'function_signature_item') c.add(m, fieldText(m, 'name'), 'method', isPub(n), {parent: name})
      }
    }
  }
  return c
}

/** `Foo`, `Foo<T>`, `&mut crate::Foo` -> `Foo`. */
function baseType(t: Node): string | undefined {
  if (t.type === 'type_identifier' || t.type === 'primitive_type') return t.text
  if (t.type === 'generic_type' || t.type === 'scoped_type_identifier') {
    const inner = t.childForFieldName('type') ?? t.childForFieldName('name')
    return inner ? baseType(inner) : undefined
  }
  const inner = t.childForFieldName('type')
  return inner ? baseType(inner) : t.text.replace(/<.*$/s, '').split('::').pop()
}
