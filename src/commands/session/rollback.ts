import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore} from '../../cli/plan-store.js'

export default class SessionRollback extends BaseCommand {
  static summary = 'Roll a session back N turns: its conversation and the work tree of that turn'
  static description = `The session pointer moves back; the newer turns stay reachable under refs/parecode/archive/sessions/. The work tree is restored to what it was at that turn (the current state is snapshotted first).

Files you changed yourself since the newest turn are never overwritten silently: rollback refuses, naming them, and --force first keeps the whole work tree as a checkpoint (see \`git pare log\`), then rolls back.

Exit codes: 0; 2 no such session, or too many turns; 3 your changes would be overwritten (code user_changes), or the repository is busy.`
  static examples = ['<%= config.bin %> session rollback 1', '<%= config.bin %> session rollback 2 --session 20261130-101500-ab12']
  static args = {n: Args.integer({description: 'turns to roll back', required: true, min: 1})}
  static flags = {
    session: Flags.string({description: 'session id (default: the one used last here)'}),
    'keep-files': Flags.boolean({description: 'move the conversation back but leave the work tree as it is'}),
    force: Flags.boolean({description: 'keep changes git pare did not make as a checkpoint, then roll back'}),
  }

  async run(): Promise<{id: string; turn: number; archived: string; kept: {seq: number; commit: string; files: string} | null}> {
    const {args, flags} = await this.parse(SessionRollback)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const {defaultSession} = await import('../../core/store/local-sessions.js')
    const id = flags.session ?? (await defaultSession(store.ctx))
    const res = await store.rollbackSession(id, args.n, {restoreWork: !flags['keep-files'], force: flags.force})
    const k = res.restore?.kept
    const kept = k ? {seq: k.seq, commit: k.commit, files: k.meta.keptFiles ?? ''} : null
    if (!this.jsonEnabled()) {
      if (kept) this.log(`kept your changes (${kept.files}) as checkpoint ${kept.seq} (${kept.commit.slice(0, 7)}): see them with \`git pare show ${kept.seq}\``)
      this.log(`session ${id} is back at turn ${res.turn}${res.restore ? '; work tree restored' : ''} (newer turns kept at ${res.archived})`)
    }
    return {id, turn: res.turn, archived: res.archived, kept}
  }
}
