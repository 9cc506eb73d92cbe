import type {Node} from '@vscode/tree-sitter-wasm'
import {Collector, fieldText, kids} from './extract-common.js'

const functionValues = new Set(['arrow_function', 'function_expression', 'function', 'generator_function'])

/** TypeScript, TSX and JavaScript: top-level declarations and class members. */
export function extractJs(root: Node): Collector {
  const c = new Collector()
  const exportedNames = new Set<string>()
  for (const n of kids(root)) top(c, n, false, n, exportedNames)
  // `export {a, b as c}` and `export default a` mark earlier declarations exported.
  if (exportedNames.size) {
    for (const f of c.found) {
      const name = f.sym.parent ?? f.sym.name
      if (!exportedNames.has(name) || f.sym.exported) continue
      const hidden = f.sym.name.startsWith('#') || kids(f.node).some((k) => k.type === 'accessibility_modifier' && k.text !== 'public')
      if (!f.sym.parent || !hidden) f.sym.exported = true
    }
  }
  return c
}

function top(c: Collector, n: Node, exported: boolean, outer: Node, exportedNames: Set<string>): void {
  switch (n.type) {
    case 'export_statement': {
      const decl = n.childForFieldName('declaration')
      if (decl) return top(c, decl, true, n, exportedNames)
      const value = n.childForFieldName('value')
      if (value?.type === 'identifier') exportedNames.add(value.text)
      else if (value && (functionValues.has(value.type) || value.type === 'class')) c.add(n, fieldText(value, 'name') ?? 'default', value.type === 'class' ? 'class' : 'function', true, {decl: value})
      if (!n.childForFieldName('source')) {
        for (const clause of kids(n)) {
          if (clause.type !== 'export_clause') continue
          for (const spec of kids(clause)) {
            const name = fieldText(spec, 'name')
            if (name) exportedNames.add(name)
          }
        }
      }
      return
    }
    case 'function_declaration':
    case 'generator_function_declaration':
    case 'function_signature':
      return c.add(outer, fieldText(n, 'name'), 'function', exported, {decl: n})
    case 'class_declaration':
    case 'abstract_class_declaration':
    case 'class': {
      const name = fieldText(n, 'name') ?? (exported ? 'default' : undefined)
      c.add(outer, name, 'class', exported, {decl: n})
      const body = n.childForFieldName('body')
      if (name && body) members(c, body, name, exported)
      return
    }
    case 'interface_declaration':
      return c.add(outer, fieldText(n, 'name'), 'interface', exported, {decl: n})
    case 'type_alias_declaration':
      return c.add(outer, fieldText(n, 'name'), 'type', exported, {decl: n})
    case 'enum_declaration':
      return c.add(outer, fieldText(n, 'name'), 'enum', exported, {decl: n})
    case 'module':
    case 'internal_module':
      return c.add(outer, fieldText(n, 'name'), 'module', exported, {decl: n})
    case 'expression_statement':
      commonJsExports(kids(n)[0], exportedNames)
      return
    case 'ambient_declaration':
      for (const k of kids(n)) top(c, k, exported, outer, exportedNames)
      return
    case 'lexical_declaration':
    case 'variable_declaration': {
      const isConst = n.children.some((k) => k?.type === 'const')
      for (const d of kids(n)) {
        if (d.type !== 'variable_declarator') continue
        const name = d.childForFieldName('name')
        if (name?.type !== 'identifier') continue
        const value = d.childForFieldName('value')
        const kind = value && functionValues.has(value.type) ? 'function' : value?.type === 'class' ? 'class' : isConst ? 'constant' : 'variable'
        // A one-declarator statement spans the statement (with `export`); several share it, so each spans itself.
        const node = kids(n).length === 1 ? outer : d
        c.add(node, name.text, kind, exported, {decl: value && functionValues.has(value.type) ? value : d})
      }
      return
    }
  }
}

function members(c: Collector, body: Node, parent: string, classExported: boolean): void {
  for (const m of kids(body)) {
    const name = fieldText(m, 'name')
    if (!name) continue
    const hidden = name.startsWith('#') || kids(m).some((k) => k.type === 'accessibility_modifier' && k.text !== 'public')
    const exported = classExported && !hidden
    switch (m.type) {
      case 'method_definition':
      case 'method_signature':
      case 'abstract_method_signature':
        c.add(m, name, 'method', exported, {parent})
        break
      case 'public_field_definition':
      case 'field_definition': {
        const value = m.childForFieldName('value')
        c.add(m, name, value && functionValues.has(value.type) ? 'method' : 'field', exported, {parent, decl: value && functionValues.has(value.type) ? value : m})
        break
      }
    }
  }
}

// `module.exports = {a, b}`, `module.exports = a`, `exports.a = …`, `module.exports.a = …`.
function commonJsExports(e: Node | undefined, exportedNames: Set<string>): void {
  if (e?.type !== 'assignment_expression') return
  const left = e.childForFieldName('left')?.text ?? ''
  const right = e.childForFieldName('right')
  if (left === 'module.exports' && right) {
    if (right.type === 'identifier') exportedNames.add(right.text)
    else if (right.type === 'object') {
      for (const p of kids(right)) {
        if (p.type === 'shorthand_property_identifier') exportedNames.add(p.text)
        else if (p.type === 'pair' && p.childForFieldName('value')?.type === 'identifier') exportedNames.add(p.childForFieldName('value')!.text)
      }
    }
  } else {
    const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(left)
    if (m && right?.type === 'identifier') exportedNames.add(right.text)
  }
}
