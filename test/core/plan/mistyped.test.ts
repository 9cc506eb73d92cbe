import {describe, expect, it} from 'vitest'
import {editDistance, mistypedSubcommand} from '../../../src/core/plan/mistyped.js'

const SUBS = ['annotate', 'approve', 'edit', 'show']

describe('mistypedSubcommand', () => {
  it('catches slips of every kind: a letter missing, extra, wrong, swapped, or a prefix', () => {
    const slips: Record<string, string> = {shw: 'show', shwo: 'show', shows: 'show', Show: 'show', sho: 'show', sh: 'show', edt: 'edit', edti: 'edit', edits: 'edit', eidt: 'edit', aprove: 'approve', approv: 'approve', aprrove: 'approve', approved: 'approve', anotate: 'annotate', annotat: 'annotate', anntoate: 'annotate', ann: 'annotate', app: 'approve'}
    for (const [typo, meant] of Object.entries(slips)) expect(mistypedSubcommand(typo, SUBS), typo).toBe(meant)
  })

  it('leaves real tasks alone: other words, several words, and words ambiguous between two subcommands', () => {
    for (const task of ['refactor', 'audit', 'docs', 'lint', 'test', 'cleanup', 'typecheck', 'format', 'shout', 'rename', 'fix', 'a', 'remove console.log', 'show me the tests', 'edit the README', 'migrate-to-esm', '42'])
      expect(mistypedSubcommand(task, SUBS), task).toBeUndefined()
    // "a" and "ap…" share a prefix with two subcommands: only an unambiguous one counts.
    expect(mistypedSubcommand('an', ['annotate', 'answer'])).toBeUndefined()
  })

  it('follows whatever subcommands exist, not a word list', () => {
    expect(mistypedSubcommand('lsit', ['list', 'show'])).toBe('list')
    expect(mistypedSubcommand('shw', ['list'])).toBeUndefined()
  })

  it('editDistance counts a transposition as one edit', () => {
    expect(editDistance('show', 'show')).toBe(0)
    expect(editDistance('shwo', 'show')).toBe(1)
    expect(editDistance('aprove', 'approve')).toBe(1)
    expect(editDistance('audit', 'edit')).toBe(2)
  })
})
