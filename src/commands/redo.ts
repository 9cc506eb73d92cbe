import {BaseCommand} from '../cli/base-command.js'
import {PareError} from '../core/errors/index.js'

export interface RedoCommandResult {
  checkpoint: {seq: number; label: string; commit: string; meta: Record<string, string>}
  restored: string
  changed: {status: string; path: string}[]
  branch: {ref: string; from: string; to: string; moved: boolean} | null
  plan: {id: string; step: number; status: string} | null
}

export default class Redo extends BaseCommand {
  static summary = 'Bring back what the last undo took away'
  static description = `Restores the work tree saved by the newest \`git pare undo\` and puts its checkpoint back on the stack. Inside a plan, the scratch branch moves forward again and the step gets back the status it had. Anything you changed since the undo is snapshotted first (refs/parecode/snapshots/), so nothing is lost.`

  static examples = ['<%= config.bin %> redo', '<%= config.bin %> redo --json']

  async run(): Promise<RedoCommandResult> {
    await this.parse(Redo)
    const {openStore} = await import('../core/store/index.js')
    const store = await openStore(await this.repo(), {onWarning: (m) => this.note(m)})
    const res = await store.redo()
    if (!res) throw new PareError('nothing to redo', {code: 'nothing_to_redo', hint: 'redo is available right after `git pare undo`, until the next checkpoint'})
    const {restoreStepStatus} = await import('../core/store/plan-step.js')
    const plan = await restoreStepStatus(store, res.checkpoint.meta)
    if (!this.jsonEnabled()) {
      const {fileLines} = await import('../core/store/format.js')
      const {neutraliseLine: one} = await import('../core/text/terminal.js')
      const lines = [`redone: ${one(res.checkpoint.label)}`]
      lines.push(...(res.changed.length ? fileLines(res.changed) : ['  no files changed']))
      if (res.branch?.moved) lines.push(`${res.branch.ref.replace('refs/heads/', '')} moved forward to ${res.branch.to.slice(0, 7)}`)
      if (plan) lines.push(`plan ${one(plan.id)}: step ${plan.step} is ${plan.status} again`)
      this.log(lines.join('\n'))
    }
    const cp = res.checkpoint
    return {checkpoint: {seq: cp.seq, label: cp.label, commit: cp.commit, meta: cp.meta}, restored: res.restored, changed: res.changed, branch: res.branch ?? null, plan}
  }
}
