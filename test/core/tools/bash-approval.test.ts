import {existsSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import bash from '../../../src/core/tools/bash.js'
import type {ToolContext} from '../../../src/core/tools/types.js'
import {scopedRepo} from '../../support/scoped.js'
import {makeCtx} from './helpers.js'

// The approval policy, with and without the sandbox (whichever this machine has).
const setup = () => {
  const root = scopedRepo({'README.md': '# demo\n'})
  writeFileSync(path.join(root, 'victim.txt'), 'x')
  return root
}
const run = (root: string, command: string, over: Partial<ToolContext>) => bash.run({command}, makeCtx(root, over))
const REFUSED = /^Error: not run: .+(read_file|ask the user)/

describe('bash approval policy', () => {
  for (const sandbox of [true, false]) {
    describe(sandbox ? 'sandbox on' : 'sandbox off', () => {
      it('never: refuses a command that is not allowlisted, runs ls', async () => {
        const root = setup()
        const r = await run(root, 'rm victim.txt', {bash: {approval: 'never', sandbox}})
        expect(r.ok).toBe(false)
        expect(r.content).toMatch(REFUSED)
        expect(r.content.split('\n')).toHaveLength(1)
        expect(r.summary).toBe('bash "rm victim.txt": not approved')
        expect(existsSync(path.join(root, 'victim.txt'))).toBe(true)
        const ls = await run(root, 'ls', {bash: {approval: 'never', sandbox}})
        expect(ls.ok).toBe(true)
        expect(ls.content).toContain('victim.txt')
        // A chain hiding behind an allowlisted start is not allowlisted.
        expect((await run(root, 'git status; rm -rf victim.txt', {bash: {approval: 'never', sandbox}})).content).toMatch(REFUSED)
        expect(existsSync(path.join(root, 'victim.txt'))).toBe(true)
      })

      it("never: runs the user's bash_allow prefixes", async () => {
        const root = setup()
        const r = await run(root, 'touch made.txt', {bash: {approval: 'never', sandbox, allow: ['touch']}})
        expect(r.ok, r.content).toBe(true)
        expect(existsSync(path.join(root, 'made.txt'))).toBe(true)
      })

      it('ask: refuses without a terminal, asks through approve() and obeys the answer', async () => {
        const root = setup()
        const noTty = await run(root, 'rm victim.txt', {bash: {approval: 'ask', sandbox}})
        expect(noTty.content).toMatch(/^Error: not run: this command needs the user's approval and there is no terminal to ask/)
        expect(existsSync(path.join(root, 'victim.txt'))).toBe(true)

        const asked: string[] = []
        const no = await run(root, 'rm victim.txt', {bash: {approval: 'ask', sandbox}, approve: async (c) => (asked.push(c), false)})
        expect(no.content).toMatch(/^Error: not run: the user declined this command/)
        expect(existsSync(path.join(root, 'victim.txt'))).toBe(true)

        const yes = await run(root, 'rm victim.txt', {bash: {approval: 'ask', sandbox}, approve: async (c) => (asked.push(c), true)})
        expect(yes.ok, yes.content).toBe(true)
        expect(existsSync(path.join(root, 'victim.txt'))).toBe(false)

        // Allowlisted commands are not asked about.
        await run(root, 'ls', {bash: {approval: 'ask', sandbox}, approve: async (c) => (asked.push(c), true)})
        expect(asked).toEqual(['rm victim.txt', 'rm victim.txt'])
      })

      it('ask: an approver that fails counts as no', async () => {
        const root = setup()
        const r = await run(root, 'rm victim.txt', {bash: {approval: 'ask', sandbox}, approve: async () => Promise.reject(new Error('tty gone'))})
        expect(r.ok).toBe(false)
        expect(existsSync(path.join(root, 'victim.txt'))).toBe(true)
      })
    })
  }

  it('auto: runs without asking', async () => {
    const root = setup()
    const r = await run(root, 'rm victim.txt', {bash: {approval: 'auto'}, approve: async () => false})
    expect(r.ok, r.content).toBe(true)
    expect(existsSync(path.join(root, 'victim.txt'))).toBe(false)
  })
})
