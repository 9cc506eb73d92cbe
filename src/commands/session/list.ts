import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore} from '../../cli/plan-store.js'

export interface SessionListItem {
  id: string
  turns: number
  time: string
  title: string
  /** `local` (started or continued here), `remote:<name>` (pulled from it), or `unknown`. */
  origin: string
  /** The session `run --continue` resumes. */
  latest: boolean
}

export default class SessionList extends BaseCommand {
  static summary = 'List sessions (multi-turn runs): yours first, then those pulled from a remote'
  static description = 'Sessions started or continued here come first, most recently used first; `run --continue` resumes the top one. A session pulled from a remote shows where it came from and is continued only by name (`run --session <id>`), whatever its date.'
  static examples = ['<%= config.bin %> session list', '<%= config.bin %> session list --json']

  async run(): Promise<SessionListItem[]> {
    await this.parse(SessionList)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const [{latestLocal, listSessionsWithOrigin}, {neutraliseLine}] = await Promise.all([import('../../core/store/local-sessions.js'), import('../../core/text/terminal.js')])
    const entries = await listSessionsWithOrigin(store.ctx)
    const latest = latestLocal(entries)
    const list = entries.map((s) => ({
      id: s.id,
      turns: s.turns,
      time: s.time.toISOString(),
      title: s.title,
      origin: s.origin.kind === 'remote' ? `remote:${s.origin.remote}` : s.origin.kind,
      latest: s.id === latest?.id,
    }))
    if (!this.jsonEnabled()) {
      const where = (o: string) => (o === 'local' ? '' : o === 'unknown' ? '  (not started here)' : `  (pulled from ${o.slice('remote:'.length)})`)
      const line = (s: SessionListItem) => `${s.latest ? '*' : ' '} ${s.id}  ${s.turns} turn${s.turns === 1 ? '' : 's'}  ${s.time.slice(0, 16).replace('T', ' ')}  ${neutraliseLine(s.title)}${where(s.origin)}`
      this.log(list.length ? list.map(line).join('\n') : 'no sessions yet: `git pare run "task"` starts one')
    }
    return list
  }
}
