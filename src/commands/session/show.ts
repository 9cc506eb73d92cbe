import {Args} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore} from '../../cli/plan-store.js'
import {RepoStateError, UsageError} from '../../core/errors/index.js'
import type {ChatMessage} from '../../core/model/types.js'
import {plural} from '../../core/text/plural.js'

export default class SessionShow extends BaseCommand {
  static summary = 'Show the turns of a session (default: the one used last here)'
  static examples = ['<%= config.bin %> session show', '<%= config.bin %> session show 20261130-101500-ab12']
  static args = {id: Args.string({description: 'session id'})}

  async run(): Promise<{id: string; turns: number; messages: ChatMessage[]}> {
    const {args} = await this.parse(SessionShow)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const [{defaultSession}, {parseChat}, {neutralise, neutraliseLine}] = await Promise.all([
      import('../../core/store/local-sessions.js'),
      import('../../core/context/session.js'),
      import('../../core/text/terminal.js'),
    ])
    const id = args.id ?? (await defaultSession(store.ctx))
    const s = await store.readSession(id)
    if (!s) throw new UsageError(`no session "${id}"`, 'list them with `git pare session list`')
    const chat = parseChat(s.chat, `refs/parecode/sessions/${id}`)
    if (!chat.ok) throw new RepoStateError(chat.error, `inspect it with \`git log refs/parecode/sessions/${id}\`; other sessions still work`, 'invalid_session')
    const messages = chat.messages
    if (!this.jsonEnabled()) {
      const lines = [`session ${id} · ${plural(s.turns, 'turn')}`]
      for (const m of messages) {
        if (m.role === 'user') lines.push('', `> ${neutralise(m.content ?? '')}`)
        else if (m.role === 'assistant') {
          for (const c of m.tool_calls ?? []) lines.push(`  · ${neutraliseLine(c.function.name)} ${neutraliseLine(c.function.arguments.slice(0, 100))}`)
          if (m.content?.trim()) lines.push(neutralise(m.content.trim()))
        }
      }
      this.log(lines.join('\n'))
    }
    return {id, turns: s.turns, messages}
  }
}
