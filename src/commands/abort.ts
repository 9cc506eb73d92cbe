import {BaseCommand} from '../cli/base-command.js'
import {openPlanStore, planFlag} from '../cli/plan-store.js'
import {ExitCode} from '../core/errors/index.js'
import type {AbortResult} from '../core/plan/abort.js'

export default class Abort extends BaseCommand {
  static summary = 'Stop the active plan: switch back to your branch with your uncommitted changes as they were'
  static description = `Switches back to the branch the plan started from and gives back the uncommitted changes you had then, byte for byte: the same files, the same staged changes (the index), the same untracked files. The plan's branch pare/<plan-id> is left for inspection; changes still uncommitted on it are committed there first, so nothing is thrown away. If you are not on the plan's branch, nothing is switched and abort says where your changes are kept (refs/parecode/uncommitted/<plan-id>, \`git stash apply <ref>\` brings them back).

Exit codes: 0 aborted; 2 usage (no plan, unknown plan id, already finished or aborted); 3 repository state (the branch the plan started from is gone, merge or rebase in progress, lock held); 5 aborted, but your uncommitted changes did not apply cleanly on your branch, which moved meanwhile (they are kept, see the message).`
  static examples = ['<%= config.bin %> abort', '<%= config.bin %> abort --plan 20260101-120000-abcd']
  static flags = {...planFlag}

  async run(): Promise<AbortResult> {
    const {flags} = await this.parse(Abort)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const [{abortPlan}, {uncommittedLine}] = await Promise.all([import('../core/plan/abort.js'), import('../core/plan/give-back.js')])
    const res = await abortPlan(store, {plan: flags.plan})
    const u = res.uncommitted
    const line = u.status === 'kept' && !res.switched ? `you are not on ${res.branch}, so nothing was switched; your uncommitted changes from before the plan are kept at ${u.ref}: bring them back with \`${u.restore_command}\`` : uncommittedLine(u, res.base ?? 'HEAD')
    if (u.status === 'kept') {
      this.note(line!)
      // Kept because they did not apply is a conflict; kept because nothing was switched is only where they wait.
      if (res.switched) process.exitCode = ExitCode.editConflict
    }
    if (!this.jsonEnabled()) {
      const parts = [`plan ${res.plan} aborted`]
      if (res.switched) parts.push(`back on ${res.base ?? 'the commit it started from'}`)
      if (res.leftovers) parts.push(`changes left on ${res.branch} were committed there (${res.leftovers.slice(0, 7)})`)
      if (res.branch) parts.push(`${res.branch} is left for inspection (delete it with git branch -D ${res.branch})`)
      this.log(parts.join('; '))
      if (line && res.uncommitted.status !== 'kept') this.log(line)
    }
    return res
  }
}
