import {describe, expect, it} from 'vitest'
import {anchorMatches, formatLine, lineHash, linePrefix, parseAnchor, stripLinePrefixes} from '../../../src/core/tools/anchors.js'

describe('lineHash', () => {
  it('is 4 base36 chars and stable', () => {
    for (const s of ['', 'a', 'fn main() {', '  return 1;', 'ünïcødé ✓ 你好', '🎉'.repeat(50)]) {
      expect(lineHash(s)).toMatch(/^[0-9a-z]{4}$/)
      expect(lineHash(s)).toBe(lineHash(s))
    }
    // Pinned: FNV-1a 32-bit of "hello" is 0x4f9f2cab; edit_file and saved transcripts rely on the exact value.
    expect(lineHash('hello')).toBe('bicr')
    expect(lineHash('ünïcødé ✓ 你好')).toBe('3prt')
  })

  it('ignores a trailing CR and a leading BOM', () => {
    expect(lineHash('x = 1\r')).toBe(lineHash('x = 1'))
    expect(lineHash('\uFEFFimport a')).toBe(lineHash('import a'))
  })

  it('tells apart lines that differ by one character or whitespace', () => {
    expect(lineHash('a = 1')).not.toBe(lineHash('a = 2'))
    expect(lineHash('  x')).not.toBe(lineHash('   x'))
    expect(lineHash('é')).not.toBe(lineHash('è'))
  })

  it('spreads over many distinct lines with few collisions', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 2000; i++) seen.add(lineHash(`  const value${i} = compute(${i})`))
    expect(seen.size).toBeGreaterThan(1990)
  })
})

describe('formatLine / parseAnchor', () => {
  it('prefixes N#hash: or N: and drops the CR', () => {
    expect(formatLine(7, 'let x\r')).toBe(`7#${lineHash('let x')}:let x`)
    expect(formatLine(7, 'let x', false)).toBe('7:let x')
    expect(linePrefix(3, 'a')).toBe(`3#${lineHash('a')}:`)
  })

  it('parses anchors the way models send them back', () => {
    expect(parseAnchor('42#ab12')).toEqual({line: 42, hash: 'ab12'})
    expect(parseAnchor('42#AB12:  code')).toEqual({line: 42, hash: 'ab12'})
    expect(parseAnchor(' 5#0000 ')).toEqual({line: 5, hash: '0000'})
    expect(parseAnchor('ab12')).toBeUndefined()
    expect(parseAnchor('42#ab1')).toBeUndefined()
    expect(parseAnchor(42)).toBeUndefined()
  })

  it('checks an anchor against current lines', () => {
    const lines = ['a', 'b\r', 'c']
    expect(anchorMatches(lines, {line: 2, hash: lineHash('b')})).toBe(true)
    expect(anchorMatches(lines, {line: 3, hash: lineHash('b')})).toBe(false)
    expect(anchorMatches(lines, {line: 9, hash: lineHash('b')})).toBe(false)
  })

  it('strips copied prefixes only when every line has one, numbered in order, with matching hashes', () => {
    const copied = [formatLine(4, 'a'), formatLine(5, '  b'), formatLine(6, ''), formatLine(7, 'c')].join('\n') + '\n'
    expect(stripLinePrefixes(copied)).toBe('a\n  b\n\nc\n')
    expect(stripLinePrefixes('1:a\n2:b')).toBe('1:a\n2:b')
    expect(stripLinePrefixes('12: real\nnot prefixed')).toBe('12: real\nnot prefixed')
    expect(stripLinePrefixes('1: one\n3: three')).toBe('1: one\n3: three')
    expect(stripLinePrefixes('1#zzzz:a')).toBe('1#zzzz:a')
    expect(stripLinePrefixes('')).toBe('')
  })
})
