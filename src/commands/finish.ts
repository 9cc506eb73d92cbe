import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {openPlanStore} from '../cli/plan-store.js'
import {UsageError} from '../core/errors/index.js'
import type {FinishResult} from '../core/plan/finish.js'

export default class Finish extends BaseCommand {
  static summary = "Merge the plan's scratch branch into your branch (squashed by default) and switch back"
  static description = 'Squash makes one commit with the combined change on the branch the plan started from; --merge keeps the step commits under a merge commit. When your branch moved since the plan started, finish stops and offers --rebase (replay and squash) or --merge.'
  static examples = ['<%= config.bin %> finish', '<%= config.bin %> finish --merge', '<%= config.bin %> finish --rebase']
  static flags = {
    merge: Flags.boolean({description: 'keep the step commits (merge commit)'}),
    rebase: Flags.boolean({description: 'when the base branch moved, replay the change on top of it and squash'}),
  }

  async run(): Promise<FinishResult> {
    const {flags} = await this.parse(Finish)
    if (flags.merge && flags.rebase) throw new UsageError('choose --merge or --rebase, not both')
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const {finishPlan} = await import('../core/plan/finish.js')
    const res = await finishPlan(store, {mode: flags.merge ? 'merge' : 'squash', rebase: flags.rebase})
    if (res.steps_done < res.steps_total) this.note(`only ${res.steps_done} of ${res.steps_total} steps were done; the rest were left out`)
    if (!this.jsonEnabled()) this.log(`plan ${res.plan} finished: ${res.steps_done} step(s) ${res.mode === 'squash' ? 'squashed into' : 'merged into'} ${res.base} as ${res.commit.slice(0, 7)}; now on ${res.base}`)
    return res
  }
}
