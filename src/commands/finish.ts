import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {openPlanStore, planFlag} from '../cli/plan-store.js'
import {ExitCode, UsageError} from '../core/errors/index.js'
import type {FinishResult} from '../core/plan/finish.js'

export default class Finish extends BaseCommand {
  static summary = "Merge the plan's scratch branch into your branch (squashed by default) and switch back"
  static description = `Squash makes one commit with the combined change on the branch the plan started from; --merge keeps the step commits under a merge commit. When your branch moved since the plan started, finish stops and offers --rebase (replay and squash) or --merge. The uncommitted changes you had when the plan started are not part of the result: they come back on top of it, staged, unstaged and untracked as they were. If they do not apply cleanly there, they stay recorded under refs/parecode/uncommitted/<plan-id> and finish says how to bring them back (\`git stash apply <ref>\`); --include-uncommitted commits them together with the plan instead.

Exit codes: 0 finished; 2 usage (no plan, unknown plan id, not started yet, conflicting flags); 3 repository state (not on the plan's branch, uncommitted changes on it, your branch moved, the change does not merge cleanly, merge or rebase in progress, lock held; nothing was changed); 5 finished, but your uncommitted changes from before the plan did not apply cleanly on top of the result (they are kept, see the message).`
  static examples = ['<%= config.bin %> finish', '<%= config.bin %> finish --merge', '<%= config.bin %> finish --rebase', '<%= config.bin %> finish --plan 20260101-120000-abcd']
  static flags = {
    ...planFlag,
    merge: Flags.boolean({description: 'keep the step commits (merge commit)'}),
    rebase: Flags.boolean({description: 'when the base branch moved, replay the change on top of it and squash'}),
    'include-uncommitted': Flags.boolean({description: 'commit the uncommitted changes you had when the plan started together with the plan'}),
  }

  async run(): Promise<FinishResult> {
    const {flags} = await this.parse(Finish)
    if (flags.merge && flags.rebase) throw new UsageError('choose --merge or --rebase, not both')
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const [{finishPlan}, {uncommittedLine}] = await Promise.all([import('../core/plan/finish.js'), import('../core/plan/give-back.js')])
    const res = await finishPlan(store, {mode: flags.merge ? 'merge' : 'squash', rebase: flags.rebase, includeUncommitted: flags['include-uncommitted'], plan: flags.plan})
    if (res.steps_done < res.steps_total) this.note(`only ${res.steps_done} of ${res.steps_total} steps were done; the rest were left out`)
    const line = uncommittedLine(res.uncommitted, res.commit.slice(0, 7))
    if (res.uncommitted.status === 'kept') {
      this.note(line!)
      process.exitCode = ExitCode.editConflict
    }
    if (!this.jsonEnabled()) {
      this.log(`plan ${res.plan} finished: ${res.steps_done} step(s) ${res.mode === 'squash' ? 'squashed into' : 'merged into'} ${res.base} as ${res.commit.slice(0, 7)}; now on ${res.base}`)
      if (line && res.uncommitted.status !== 'kept') this.log(line)
    }
    return res
  }
}
