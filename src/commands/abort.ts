import {BaseCommand} from '../cli/base-command.js'
import {openPlanStore} from '../cli/plan-store.js'

export default class Abort extends BaseCommand {
  static summary = 'Stop the active plan: switch back to your branch, keep the scratch branch for inspection'
  static examples = ['<%= config.bin %> abort']

  async run(): Promise<{plan: string; base: string | null; branch?: string}> {
    await this.parse(Abort)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const {abortPlan} = await import('../core/plan/finish.js')
    const res = await abortPlan(store)
    if (!this.jsonEnabled()) this.log(`plan ${res.plan} aborted${res.base ? `; back on ${res.base}` : ''}${res.branch ? `; ${res.branch} is left for inspection (delete it with git branch -D ${res.branch})` : ''}`)
    return res
  }
}
