import {Args} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore} from '../../cli/plan-store.js'
import {UsageError} from '../../core/errors/index.js'
import type {ChatMessage} from '../../core/model/types.js'

export default class SessionShow extends BaseCommand {
  static summary = 'Show the turns of a session (default: the latest)'
  static examples = ['<%= config.bin %> session show', '<%= config.bin %> session show 20261130-101500-ab12']
  static args = {id: Args.string({description: 'session id'})}

  async run(): Promise<{id: string; turns: number; messages: ChatMessage[]}> {
    const {args} = await this.parse(SessionShow)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const id = args.id ?? (await store.listSessions())[0]?.id
    if (!id) throw new UsageError('there are no sessions yet', 'start one with `git pare run "task"`')
    const s = await store.readSession(id)
    if (!s) throw new UsageError(`no session "${id}"`, 'list them with `git pare session list`')
    const messages = s.chat.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ChatMessage)
    if (!this.jsonEnabled()) {
      const lines = [`session ${id} · ${s.turns} turn(s)`]
      for (const m of messages) {
        if (m.role === 'user') lines.push('', `> ${m.content}`)
        else if (m.role === 'assistant') {
          for (const c of m.tool_calls ?? []) lines.push(`  · ${c.function.name} ${c.function.arguments.slice(0, 100)}`)
          if (m.content?.trim()) lines.push(m.content.trim())
        }
      }
      this.log(lines.join('\n'))
    }
    return {id, turns: s.turns, messages}
  }
}
