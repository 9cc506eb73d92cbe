import {describe, expect, it} from 'vitest'
import {completeSlash, parseInput, splitArgs, suggestSlash} from '../../../src/core/chat/slash.js'

const NAMES = ['approve', 'diff', 'exit', 'help', 'log', 'model', 'plan', 'undo']

describe('chat input', () => {
  it('a slash command with its arguments; //text is a turn that starts with /; blank is nothing', () => {
    expect(parseInput('  /diff 3 ')).toEqual({kind: 'slash', name: 'diff', args: ['3'], raw: '3'})
    expect(parseInput('/plan "rename foo to bar"')).toEqual({kind: 'slash', name: 'plan', args: ['rename foo to bar'], raw: '"rename foo to bar"'})
    expect(parseInput('/UNDO')).toMatchObject({kind: 'slash', name: 'undo', args: []})
    expect(parseInput('//etc/hosts is odd')).toEqual({kind: 'turn', text: '/etc/hosts is odd'})
    expect(parseInput('fix the bug in /src')).toEqual({kind: 'turn', text: 'fix the bug in /src'})
    expect(parseInput('   ')).toEqual({kind: 'empty'})
    expect(parseInput('/')).toMatchObject({kind: 'slash', name: ''})
  })

  it('splits arguments like a shell: quotes, escapes, empty quoted arguments', () => {
    expect(splitArgs(`a "b c" 'd e' f\\ g ""`)).toEqual(['a', 'b c', 'd e', 'f g', ''])
    expect(splitArgs('"say \\"hi\\""')).toEqual(['say "hi"'])
    expect(splitArgs('')).toEqual([])
  })

  it('completes command names and suggests the nearest for a typo', () => {
    expect(completeSlash('/u', NAMES)).toEqual([['/undo'], '/u'])
    expect(completeSlash('/', NAMES)[0]).toHaveLength(NAMES.length)
    expect(completeSlash('/undo 3', NAMES)).toEqual([[], '/undo 3'])
    expect(suggestSlash('udno', NAMES)).toBe('undo')
    expect(suggestSlash('mdoel', NAMES)).toBe('model')
    expect(suggestSlash('zzzzzz', NAMES)).toBeUndefined()
    expect(suggestSlash('', NAMES)).toBeUndefined()
  })
})
