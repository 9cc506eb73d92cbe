import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {projectRoot, removeDir, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// A small model that writes its tool call as text (Qwen3-Coder's XML, Mistral's [TOOL_CALLS]): the call runs, and its
// markup never shows on the chat's terminal, neither while the answer streams nor after.
const hasTmux = spawnSync('tmux', ['-V']).status === 0
const screen = (s: string): string => spawnSync('tmux', ['capture-pane', '-p', '-J', '-S', '-200', '-t', s], {encoding: 'utf8'}).stdout

async function waitFor(check: () => boolean, what: string, show: () => string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}\n--- screen ---\n${show()}`)
}

describe.skipIf(!hasTmux)('git pare chat: tool calls written as text', {timeout: 300_000}, () => {
  for (const form of ['qwen_xml', 'mistral'] as const) {
    it(`${form}: the call runs and its markup never reaches the screen`, async () => {
      const root = scopedRepo({'notes.txt': 'the notes\n'})
      const server = await scopedServer((r: RecordedRequest): Turn => {
        const msgs = r.body.messages as {role: string}[]
        if (msgs.at(-1)!.role === 'tool') return turn.text('The notes say hello.')
        return {...turn.tools([{name: 'read_file', args: {path: 'notes.txt'}}]), content: 'Let me look.', toolCallsAs: form, textChunk: 3}
      })
      const home = tempDir('pare-home-')
      onTestFinished(() => removeDir(home))
      const session = `pare-chat-markup-${form}-${process.pid}`
      const env = `HOME=${home} XDG_STATE_HOME=${home}/.local/state XDG_CONFIG_HOME=${home}/.config PARECODE_NO_OLLAMA_PROBE=1 PARECODE_BASE_URL=${server.url} PARECODE_MODEL=scripted-model PARECODE_API_KEY=test-key GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@e GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e`
      const cmd = `cd ${root} && env -u OPENAI_API_KEY -u OPENROUTER_API_KEY ${env} ${process.execPath} ${path.join(projectRoot, 'bin/run.js')} chat "what do the notes say"; sleep 60`
      spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '60', cmd])
      onTestFinished(() => void spawnSync('tmux', ['kill-session', '-t', session]))
      const show = () => screen(session)
      await waitFor(() => show().includes('turn 1 ·'), 'the turn', show)
      const out = show()
      expect(out).toContain('Let me look.')
      expect(out).toContain('read_file')
      expect(out).toContain('The notes say hello.')
      expect(out).not.toMatch(/<function|<parameter|<tool_call|\[TOOL_CALLS\]|"arguments"/)
    })
  }
})
