import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {removeDir, runCliAsync, sh, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

const SLOW = 600_000
const PLAN = {
  task: 'shout',
  steps: [{description: 'Shout', instruction: 'Make the greeting in src/a.ts loud.', files: ['src/a.ts'], verify: {type: 'file_changed', path: 'src/a.ts'}, tool_budget: 3}],
}
type Msg = {role: string; content: string | null}

describe('undo inside a plan never overwrites what you changed after the step', () => {
  it('refuses (exit 3) naming your file; --force keeps it as a checkpoint and takes the step back', async () => {
    const root = scopedRepo({'src/a.ts': "export const hi = 'hi'\n"})
    const server = await scopedServer((r: RecordedRequest): Turn => {
      const msgs = r.body.messages as Msg[]
      if (String(msgs[0]?.content).startsWith('You plan code changes')) return turn.text(JSON.stringify(PLAN))
      if (msgs.some((m) => m.role === 'tool')) return turn.text('done')
      return turn.tools([{name: 'edit_file', args: {path: 'src/a.ts', old_str: "'hi'", new_str: "'HI'"}}])
    })
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test'}
    const cli = (...args: string[]) => runCliAsync(args, {cwd: root, env, timeoutMs: 300_000})
    expect((await cli('plan', 'shout', '--yes', '--no-hooks')).code).toBe(0)
    const step = await cli('step', '--no-hooks')
    expect(step.code, step.stderr).toBe(0)
    const tip = sh(root, ['rev-parse', 'HEAD'])

    writeFileSync(path.join(root, 'notes.txt'), 'mine\n')
    const refused = await cli('undo')
    expect(refused.code).toBe(3)
    expect(refused.stderr).toMatch(/^error: undoing checkpoint 1 would overwrite changes git pare did not make: notes\.txt\n/)
    expect(readFileSync(path.join(root, 'notes.txt'), 'utf8')).toBe('mine\n')
    expect(sh(root, ['rev-parse', 'HEAD'])).toBe(tip)

    const forced = await cli('undo', '--force')
    expect(forced.code, forced.stderr).toBe(0)
    expect(readFileSync(path.join(root, 'src/a.ts'), 'utf8')).toBe("export const hi = 'hi'\n")
    expect(sh(root, ['cat-file', '-p', 'refs/parecode/checkpoints/00000002:notes.txt'])).toBe('mine')
    expect(sh(root, ['fsck', '--strict'])).not.toMatch(/error/)
  }, SLOW)
})
