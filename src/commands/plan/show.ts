import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore, planFlag} from '../../cli/plan-store.js'
import type {ShownStep} from '../../core/plan/review.js'
import type {Plan} from '../../core/plan/schema.js'

export default class PlanShow extends BaseCommand {
  static summary = 'Show the active plan: steps, approvals, verification, estimate'
  static description = `Approvals are your own, kept outside the repository: a step pulled from a remote or changed since you approved it shows "(not approved here)" or "(changed since approved: …)" until you run \`git pare plan approve\`. --plan shows any plan, finished or not. A step a \`git pare work\` worker holds shows who claimed it, on which host and until when (as last fetched by \`git pare pull\` or \`git pare work\`); a step a worker ran says where it ran.

Exit codes: 0 done; 2 usage (no plan, unknown plan id); 3 repository state (the stored plan is not valid, lock held).`
  static examples = ['<%= config.bin %> plan show', '<%= config.bin %> plan show --json', '<%= config.bin %> plan show --plan 20260101-120000-abcd']
  static flags = {...planFlag}

  async run(): Promise<Omit<Plan, 'steps'> & {steps: ShownStep[]}> {
    const {flags} = await this.parse(PlanShow)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const [{planForJson, planWithApprovals, renderPlan}, {ApprovalStore}] = await Promise.all([import('../../core/plan/review.js'), import('../../core/trust/approvals.js')])
    const {plan, approvals} = await planWithApprovals(store, ApprovalStore.forUser(process.env), flags.plan)
    const claims = await (await import('../../core/work/shown-state.js')).stepClaims(store, plan.id)
    if (!this.jsonEnabled()) this.log(renderPlan(plan, approvals, claims))
    return planForJson(plan, approvals, claims)
  }
}
