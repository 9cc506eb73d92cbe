import type {Node} from '@vscode/tree-sitter-wasm'
import {Collector, fieldText, kids} from './extract-common.js'

/** Ruby: modules and classes (namespaces do not become parents), methods with `private`/`protected` sections, constants. */
export function extractRuby(root: Node): Collector {
  const c = new Collector()
  body(c, root, undefined)
  return c
}

const lastName = (n: Node | null) => n?.text.split('::').pop()

function body(c: Collector, container: Node, owner: string | undefined): void {
  let visible = true
  for (const n of kids(container)) {
    switch (n.type) {
      case 'module':
      case 'class': {
        const name = lastName(n.childForFieldName('name'))
        if (!name) break
        c.add(n, name, n.type === 'class' ? 'class' : 'module', true)
        const b = n.childForFieldName('body')
        if (b) body(c, b, name)
        break
      }
      case 'method':
        c.add(n, fieldText(n, 'name'), owner ? 'method' : 'function', visible, {parent: owner})
        break
      case 'singleton_method':
        c.add(n, fieldText(n, 'name'), owner ? 'method' : 'function', true, {parent: owner})
        break
      case 'identifier':
        // A bare `private` / `protected` / `public` switches the visibility of the methods after it.
        if (n.text === 'private' || n.text === 'protected') visible = false
        else if (n.text === 'public') visible = true
        break
      case 'assignment': {
        const left = n.childForFieldName('left')
        if (left?.type === 'constant') c.add(n, left.text, 'constant', true, {parent: owner})
        break
      }
    }
  }
}
