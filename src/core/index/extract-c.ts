import type {Node} from '@vscode/tree-sitter-wasm'
import type {SymbolInfo} from './file-symbols.js'
import {Collector, fieldText, kids} from './extract-common.js'

// Containers whose items count as top level: include guards, `extern "C" {}`, `#if` branches, templates.
const transparent = new Set(['preproc_ifdef', 'preproc_if', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'template_declaration', 'declaration_list'])
const recordKinds: Record<string, SymbolInfo['kind']> = {struct_specifier: 'struct', union_specifier: 'struct', class_specifier: 'class', enum_specifier: 'enum'}

const isStatic = (n: Node) => kids(n).some((k) => k.type === 'storage_class_specifier' && k.text === 'static')

/** C and C++ (both through the C++ grammar): functions, prototypes, records with members, typedefs, macros, namespaces. */
export function extractC(root: Node): Collector {
  const c = new Collector()
  items(c, root)
  // A prototype and its definition in one file: keep the definition.
  const defined = new Set(c.found.filter((f) => f.decl.type === 'function_definition').map((f) => `${f.sym.parent ?? ''}.${f.sym.name}`))
  c.found.splice(0, c.found.length, ...c.found.filter((f) => f.decl.type === 'function_definition' || f.sym.kind !== 'function' || !defined.has(`${f.sym.parent ?? ''}.${f.sym.name}`)))
  return c
}

function items(c: Collector, container: Node): void {
  for (const n of kids(container)) {
    if (transparent.has(n.type)) items(c, n)
    else if (n.type === 'linkage_specification') {
      const body = n.childForFieldName('body')
      if (body?.type === 'declaration_list') items(c, body)
      else if (body) item(c, body, n)
    } else if (n.type === 'namespace_definition') {
      c.add(n, fieldText(n, 'name'), 'module', true)
      const body = n.childForFieldName('body')
      if (body) items(c, body)
    } else item(c, n, n)
  }
}

function item(c: Collector, n: Node, outer: Node): void {
  switch (n.type) {
    case 'function_definition': {
      const id = declaredName(n.childForFieldName('declarator'))
      if (id) c.add(outer, id.name, id.parent ? 'method' : 'function', !isStatic(n), {parent: id.parent, decl: n})
      return
    }
    case 'declaration': {
      const type = n.childForFieldName('type')
      if (type && recordKinds[type.type]) record(c, type, outer)
      for (const d of n.childrenForFieldName('declarator')) {
        const id = declaredName(d)
        if (!id || !d) continue
        c.add(outer, id.name, containsFunctionDeclarator(d) ? 'function' : 'variable', !isStatic(n), {parent: id.parent})
      }
      return
    }
    case 'type_definition': {
      const type = n.childForFieldName('type')
      const body = type?.childForFieldName('body')
      for (const d of n.childrenForFieldName('declarator')) {
        const name = d ? declaredName(d)?.name : undefined
        if (!name) continue
        c.add(outer, name, type && body && recordKinds[type.type] ? recordKinds[type.type]! : 'type', true)
        if (type && body) members(c, type, name)
      }
      return
    }
    case 'preproc_def':
      // Value-less defines are include guards and feature flags, not API.
      if (n.childForFieldName('value')) c.add(outer, fieldText(n, 'name'), 'constant', true)
      return
    case 'preproc_function_def':
      c.add(outer, fieldText(n, 'name'), 'function', true)
      return
    default:
      if (recordKinds[n.type]) record(c, n, outer)
  }
}

function record(c: Collector, n: Node, outer: Node): void {
  const name = fieldText(n, 'name')
  if (!name || !n.childForFieldName('body')) return
  c.add(outer, name, recordKinds[n.type]!, true)
  members(c, n, name)
}

function members(c: Collector, rec: Node, parent: string): void {
  const body = rec.childForFieldName('body')
  if (!body || body.type !== 'field_declaration_list') return
  let pub = rec.type !== 'class_specifier'
  for (const m of kids(body)) {
    if (m.type === 'access_specifier') {
      pub = m.text.startsWith('public')
      continue
    }
    const target = m.type === 'template_declaration' ? kids(m).find((k) => k.type === 'function_definition' || k.type === 'declaration' || k.type === 'field_declaration') ?? m : m
    if (target.type === 'function_definition' || target.type === 'declaration') {
      const id = declaredName(target.childForFieldName('declarator'))
      if (id) c.add(m, id.name, 'method', pub, {parent, decl: target})
    } else if (target.type === 'field_declaration') {
      for (const d of target.childrenForFieldName('declarator')) {
        const id = d ? declaredName(d) : undefined
        if (id && d) c.add(m, id.name, containsFunctionDeclarator(d) ? 'method' : 'field', pub, {parent})
      }
    }
  }
}

function containsFunctionDeclarator(d: Node): boolean {
  for (let cur: Node | null = d; cur; cur = cur.childForFieldName('declarator')) if (cur.type === 'function_declarator') return true
  return false
}

/** The identifier a declarator declares: `*f(int)`, `A::b()`, `arr[3]`, `x = 1` -> name (and class for A::b). */
function declaredName(d: Node | null): {name: string; parent?: string} | undefined {
  let cur = d
  while (cur) {
    switch (cur.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
      case 'destructor_name':
      case 'operator_name':
        return {name: cur.text}
      case 'qualified_identifier': {
        const name = cur.childForFieldName('name')
        const scope = cur.childForFieldName('scope')?.text
        const inner = name ? declaredName(name) : undefined
        return inner ? {name: inner.name, parent: scope?.replace(/<.*$/s, '')} : undefined
      }
      default:
        cur = cur.childForFieldName('declarator') ?? null
    }
  }
  return undefined
}
