import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore} from '../../cli/plan-store.js'
import type {ShownStep} from '../../core/plan/review.js'
import type {Plan} from '../../core/plan/schema.js'

export default class PlanShow extends BaseCommand {
  static summary = 'Show the active plan: steps, approvals, verification, estimate'
  static description = 'Approvals are your own, kept outside the repository: a step pulled from a remote or changed since you approved it shows "(not approved here)" or "(changed since approved: …)" until you run `git pare plan approve`.'
  static examples = ['<%= config.bin %> plan show', '<%= config.bin %> plan show --json']

  async run(): Promise<Omit<Plan, 'steps'> & {steps: ShownStep[]}> {
    await this.parse(PlanShow)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const [{planForJson, planWithApprovals, renderPlan}, {ApprovalStore}] = await Promise.all([import('../../core/plan/review.js'), import('../../core/trust/approvals.js')])
    const {plan, approvals} = await planWithApprovals(store, ApprovalStore.forUser(process.env))
    if (!this.jsonEnabled()) this.log(renderPlan(plan, approvals))
    return planForJson(plan, approvals)
  }
}
