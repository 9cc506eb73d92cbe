import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore} from '../../cli/plan-store.js'

export default class SessionList extends BaseCommand {
  static summary = 'List sessions (multi-turn runs), newest first'
  static examples = ['<%= config.bin %> session list']

  async run(): Promise<Array<{id: string; turns: number; time: string; title: string}>> {
    await this.parse(SessionList)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const list = (await store.listSessions()).map((s) => ({id: s.id, turns: s.turns, time: s.time.toISOString(), title: s.title}))
    if (!this.jsonEnabled()) this.log(list.length ? list.map((s) => `${s.id}  ${s.turns} turn${s.turns === 1 ? '' : 's'}  ${s.time.slice(0, 16).replace('T', ' ')}  ${s.title}`).join('\n') : 'no sessions yet: `git pare run "task"` starts one')
    return list
  }
}
