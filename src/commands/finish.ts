import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {openPlanStore, planFlag} from '../cli/plan-store.js'
import {ExitCode, UsageError} from '../core/errors/index.js'
import type {FinishResult} from '../core/plan/finish.js'
import type {Sweep} from '../core/sweep/sweep.js'
import {neutraliseLine} from '../core/text/terminal.js'
import {plural} from '../core/text/plural.js'

export default class Finish extends BaseCommand {
  static summary = "Merge the plan's scratch branch into your branch (squashed by default) and switch back"
  static description = `Squash makes one commit with the combined change on the branch the plan started from; --merge keeps the step commits under a merge commit. When your branch moved since the plan started, finish stops and offers --rebase (replay and squash) or --merge. The uncommitted changes you had when the plan started are not part of the result: they come back on top of it, staged, unstaged and untracked as they were. If they do not apply cleanly there, they stay recorded under refs/parecode/uncommitted/<plan-id> and finish says how to bring them back (\`git stash apply <ref>\`); --include-uncommitted commits them together with the plan instead.

Once the plan landed, its scratch branch pare/<id> (and any pare/<id>-<n> step branches) is deleted unless --keep-branch, the on_task_done hooks run (under the same approval rules as every hook; --no-hooks skips them), and the symbol index lists code that still names a symbol the plan removed or renamed (\`file:line\`).

Exit codes: 0 finished; 1 finished, but an on_task_done hook failed; 2 usage (no plan, unknown plan id, not started yet, conflicting flags); 3 repository state (not on the plan's branch, uncommitted changes on it, your branch moved, the change does not merge cleanly, merge or rebase in progress, lock held; nothing was changed); 5 finished, but your uncommitted changes from before the plan did not apply cleanly on top of the result (they are kept, see the message).`
  static examples = ['<%= config.bin %> finish', '<%= config.bin %> finish --merge', '<%= config.bin %> finish --rebase', '<%= config.bin %> finish --plan 20260101-120000-abcd']
  static flags = {
    ...planFlag,
    merge: Flags.boolean({description: 'keep the step commits (merge commit)'}),
    rebase: Flags.boolean({description: 'when the base branch moved, replay the change on top of it and squash'}),
    'include-uncommitted': Flags.boolean({description: 'commit the uncommitted changes you had when the plan started together with the plan'}),
    'keep-branch': Flags.boolean({description: "keep the plan's scratch branch (deleted once the plan landed, by default)"}),
    'no-hooks': Flags.boolean({description: 'do not run the on_task_done hooks after the plan lands'}),
  }

  async run(): Promise<FinishResult & {sweep: Sweep}> {
    const {flags} = await this.parse(Finish)
    if (flags.merge && flags.rebase) throw new UsageError('choose --merge or --rebase, not both')
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const [{finishPlan}, {uncommittedLine}] = await Promise.all([import('../core/plan/finish.js'), import('../core/plan/give-back.js')])
    const res = await finishPlan(store, {mode: flags.merge ? 'merge' : 'squash', rebase: flags.rebase, includeUncommitted: flags['include-uncommitted'], plan: flags.plan, keepBranch: flags['keep-branch']})
    // The post-plan sweep: on_task_done hooks (trusted as every hook is), and what still names a symbol the plan removed.
    const [{planSweep}, {loadCommandConfig}, {hookPrinter}, {staleLines}] = await Promise.all([import('../core/sweep/sweep.js'), import('../cli/model-flags.js'), import('../cli/agent-session.js'), import('../core/sweep/stale-references.js')])
    const config = await loadCommandConfig({}, {repoRoot: store.paths.root, note: (w) => this.note(w)})
    const sweep = await planSweep(store, {from: `${res.commit}^1`, to: res.commit, config, noHooks: flags['no-hooks'], env: process.env, onHook: hookPrinter({json: this.jsonEnabled()})})
    if (res.steps_done < res.steps_total) this.note(`only ${res.steps_done} of ${res.steps_total} steps were done; the rest were left out`)
    const line = uncommittedLine(res.uncommitted, res.commit.slice(0, 7))
    if (res.uncommitted.status === 'kept') {
      this.note(line!)
      process.exitCode = ExitCode.editConflict
    }
    if (!this.jsonEnabled()) {
      this.log(`plan ${res.plan} finished: ${plural(res.steps_done, 'step')} ${res.mode === 'squash' ? 'squashed into' : 'merged into'} ${res.base} as ${res.commit.slice(0, 7)}; now on ${res.base}`)
      if (line && res.uncommitted.status !== 'kept') this.log(line)
      if (res.branches_deleted.length) this.log(`deleted ${res.branches_deleted.join(', ')} (--keep-branch keeps ${res.branches_deleted.length === 1 ? 'it' : 'them'})`)
      for (const l of staleLines(sweep.references)) process.stderr.write(`${neutraliseLine(l)}\n`)
    }
    if (sweep.hooks.some((h) => !h.ok) && !process.exitCode) process.exitCode = ExitCode.failed
    return {...res, sweep}
  }
}
