import {describe, expect, it} from 'vitest'
import {parseTomlLite} from '../../../src/core/hooks/toml-lite.js'

describe('parseTomlLite', () => {
  it('reads tables, dotted keys, arrays over lines, inline tables, comments and multi-line strings', () => {
    const t = parseTomlLite(`top = 1
[package]
name = "x" # comment
"quoted.key" = 'lit#eral'
tool.nested = true
deps = [
  "a>=1", # first
  "b",
]
serde = { version = "1", features = ["derive"] }
doc = """
line one
"""
[[bin]]
name = "cli"
`)
    expect(t['']).toEqual({top: 1})
    expect(t.package).toMatchObject({name: 'x', deps: ['a>=1', 'b'], serde: {version: '1', features: ['derive']}, doc: 'line one\n'})
    expect(t.package!['quoted.key'] ?? t['package.quoted']?.key).toBeDefined()
    expect(t['package.tool']).toEqual({nested: true})
    expect(t.bin).toEqual({name: 'cli'})
  })

  it('never throws on junk', () => {
    expect(() => parseTomlLite('[[[\n= = =\nx = [1, 2\n')).not.toThrow()
  })
})
