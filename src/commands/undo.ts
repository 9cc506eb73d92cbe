import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {PareError} from '../core/errors/index.js'
import {NUMBERING} from '../core/store/format.js'

export interface UndoCommandResult {
  checkpoint: {seq: number; label: string; commit: string; meta: Record<string, string>}
  saved: string
  changed: {status: string; path: string}[]
  branch: {ref: string; from: string; to: string; moved: boolean} | null
  /** Set when the checkpoint belonged to a plan step, which is now pending again. */
  plan: {id: string; step: number; status: string} | null
  /** With --force: your own changes, kept as this checkpoint before the undo overwrote them. */
  kept: {seq: number; commit: string; files: string} | null
}

export default class Undo extends BaseCommand {
  static summary = 'Go back to the newest checkpoint, undoing the run (or plan step) that followed it'
  static description = `${NUMBERING}

Restores every non-ignored file to the newest checkpoint (ignored files are left alone) and takes that checkpoint off the stack. The state you leave is kept under refs/parecode/redo/, so \`git pare redo\` brings it back; a new checkpoint clears redo (the undone state stays under refs/parecode/archive/).

Files you changed yourself since the run are never overwritten silently: undo refuses, naming them, and \`git pare undo --force\` first keeps the whole work tree as a new checkpoint (listed by \`git pare log\`, shown by \`git pare show N\`), then undoes.

Inside a plan, the scratch branch moves back one step (only if nobody moved it and its index has no staged changes) and that step is marked pending. Your own index, HEAD and branches are not touched otherwise.

Exit codes: 0 undone; 1 nothing to undo (code nothing_to_undo); 3 your changes would be overwritten (code user_changes), or the repository is busy (a merge or rebase in progress, a lock held).`

  static examples = ['<%= config.bin %> undo', '<%= config.bin %> undo --force', '<%= config.bin %> undo --json']

  static flags = {force: Flags.boolean({description: 'keep changes git pare did not make as a checkpoint, then undo'})}

  async run(): Promise<UndoCommandResult> {
    const {flags} = await this.parse(Undo)
    const {openStore} = await import('../core/store/index.js')
    const store = await openStore(await this.repo(), {onWarning: (m) => this.note(m)})
    const res = await store.undo({force: flags.force})
    if (!res) throw new PareError('nothing to undo: there are no checkpoints', {code: 'nothing_to_undo', hint: 'checkpoints are made before each agent run and plan step'})
    const {markStepPending} = await import('../core/store/plan-step.js')
    const plan = await markStepPending(store, res.checkpoint.meta)
    const {fileLines, metaLine, snakeMeta} = await import('../core/store/format.js')
    const kept = res.kept ? {seq: res.kept.seq, commit: res.kept.commit, files: res.kept.meta.keptFiles ?? ''} : null
    const result: UndoCommandResult = {
      checkpoint: {seq: res.checkpoint.seq, label: res.checkpoint.label, commit: res.checkpoint.commit, meta: snakeMeta(res.checkpoint.meta)},
      saved: res.saved,
      changed: res.changed,
      branch: res.branch ?? null,
      plan,
      kept,
    }
    if (!this.jsonEnabled()) {
      const {neutraliseLine: one} = await import('../core/text/terminal.js')
      const m = one(metaLine(res.checkpoint.meta))
      const lines: string[] = []
      if (kept) lines.push(`kept your changes (${one(kept.files)}) as checkpoint ${kept.seq} (${kept.commit.slice(0, 7)}): see them with \`git pare show ${kept.seq}\``)
      lines.push(`undone to checkpoint ${res.checkpoint.seq}: ${one(res.checkpoint.label)}${m ? ` (${m})` : ''}`)
      lines.push(...(res.changed.length ? fileLines(res.changed) : ['  no files changed']))
      if (res.branch?.moved) lines.push(`${res.branch.ref.replace('refs/heads/', '')} moved back to ${res.branch.to.slice(0, 7)}`)
      if (plan) lines.push(`plan ${one(plan.id)}: step ${plan.step} is pending again`)
      lines.push('undo this with `git pare redo`')
      this.log(lines.join('\n'))
    }
    return result
  }
}
