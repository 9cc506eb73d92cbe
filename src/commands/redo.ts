import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {PareError} from '../core/errors/index.js'

export interface RedoCommandResult {
  checkpoint: {seq: number; label: string; commit: string; meta: Record<string, string>}
  restored: string
  changed: {status: string; path: string}[]
  branch: {ref: string; from: string; to: string; moved: boolean} | null
  plan: {id: string; step: number; status: string} | null
  /** With --force: your own changes, kept as this checkpoint before the redo overwrote them. */
  kept: {seq: number; commit: string; files: string} | null
}

export default class Redo extends BaseCommand {
  static summary = 'Bring back what the last undo took away'
  static description = `Restores the work tree saved by the newest \`git pare undo\` and puts its checkpoint (same number) back on the stack. Inside a plan, the scratch branch moves forward again and the step gets back the status it had.

Files you changed yourself since the undo are never overwritten silently: redo refuses, naming them, and \`git pare redo --force\` first keeps the whole work tree as a new checkpoint (see \`git pare log\`), then redoes.

Exit codes: 0 redone; 1 nothing to redo (code nothing_to_redo); 3 your changes would be overwritten (code user_changes), or the repository is busy.`

  static examples = ['<%= config.bin %> redo', '<%= config.bin %> redo --force', '<%= config.bin %> redo --json']

  static flags = {force: Flags.boolean({description: 'keep changes git pare did not make as a checkpoint, then redo'})}

  async run(): Promise<RedoCommandResult> {
    const {flags} = await this.parse(Redo)
    const {openStore} = await import('../core/store/index.js')
    const store = await openStore(await this.repo(), {onWarning: (m) => this.note(m)})
    const res = await store.redo({force: flags.force})
    if (!res) throw new PareError('nothing to redo', {code: 'nothing_to_redo', hint: 'redo is available right after `git pare undo`, until the next checkpoint'})
    const {restoreStepStatus} = await import('../core/store/plan-step.js')
    const plan = await restoreStepStatus(store, res.checkpoint.meta)
    const {fileLines, snakeMeta} = await import('../core/store/format.js')
    const kept = res.kept ? {seq: res.kept.seq, commit: res.kept.commit, files: res.kept.meta.keptFiles ?? ''} : null
    if (!this.jsonEnabled()) {
      const {neutraliseLine: one} = await import('../core/text/terminal.js')
      const lines: string[] = []
      if (kept) lines.push(`kept your changes (${one(kept.files)}) as checkpoint ${kept.seq} (${kept.commit.slice(0, 7)}): see them with \`git pare show ${kept.seq}\``)
      lines.push(`redone: checkpoint ${res.checkpoint.seq}: ${one(res.checkpoint.label)}`)
      lines.push(...(res.changed.length ? fileLines(res.changed) : ['  no files changed']))
      if (res.branch?.moved) lines.push(`${res.branch.ref.replace('refs/heads/', '')} moved forward to ${res.branch.to.slice(0, 7)}`)
      if (plan) lines.push(`plan ${one(plan.id)}: step ${plan.step} is ${plan.status} again`)
      this.log(lines.join('\n'))
    }
    const cp = res.checkpoint
    return {checkpoint: {seq: cp.seq, label: cp.label, commit: cp.commit, meta: snakeMeta(cp.meta)}, restored: res.restored, changed: res.changed, branch: res.branch ?? null, plan, kept}
  }
}
