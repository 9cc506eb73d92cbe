import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore} from '../../cli/plan-store.js'
import type {Plan} from '../../core/plan/schema.js'

export default class PlanShow extends BaseCommand {
  static summary = 'Show the active plan: steps, approvals, verification, estimate'
  static examples = ['<%= config.bin %> plan show', '<%= config.bin %> plan show --json']

  async run(): Promise<Plan> {
    await this.parse(PlanShow)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const [{loadPlan}, {renderPlan}] = await Promise.all([import('../../core/plan/plan-store.js'), import('../../core/plan/review.js')])
    const {plan} = await loadPlan(store)
    if (!this.jsonEnabled()) this.log(renderPlan(plan))
    return plan
  }
}
