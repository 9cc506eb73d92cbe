import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore, planFlag} from '../../cli/plan-store.js'
import {UsageError} from '../../core/errors/index.js'
import type {Plan} from '../../core/plan/schema.js'

export default class PlanApprove extends BaseCommand {
  static summary = 'Approve a step of the active plan (or every step with --all)'
  static description = 'The approval is yours: it is recorded outside the repository (in your state directory), bound to the step as it is now: its instruction, files, check and budget. When the step changes (an edit, a pull), it needs approving again.\n\nExit codes: 0 done; 2 usage (no plan, unknown plan id, a step that does not exist, no step or --all); 3 repository state (the stored plan is not valid, lock held).'
  static examples = ['<%= config.bin %> plan approve 1', '<%= config.bin %> plan approve --all', '<%= config.bin %> plan approve --all --plan 20260101-120000-abcd']
  static args = {step: Args.integer({description: 'step number (1-based)'})}
  static flags = {...planFlag, all: Flags.boolean({description: 'approve every step'})}

  async run(): Promise<Plan & {approved_steps: number[]}> {
    const {args, flags} = await this.parse(PlanApprove)
    if (args.step === undefined && !flags.all) throw new UsageError('say which step to approve', 'git pare plan approve 2, or --all')
    if (args.step !== undefined && flags.all) throw new UsageError('give a step number or --all, not both')
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const [{approveSteps}, {ApprovalStore}] = await Promise.all([import('../../core/plan/review.js'), import('../../core/trust/approvals.js')])
    const {plan, approved} = await approveSteps(store, ApprovalStore.forUser(process.env), flags.all ? undefined : args.step, flags.plan)
    if (!this.jsonEnabled()) this.log(flags.all ? `approved ${plan.steps.length === 1 ? 'the only step' : `all ${plan.steps.length} steps`} of plan ${plan.id}` : `approved step ${args.step} of plan ${plan.id}`)
    return {...plan, approved_steps: approved}
  }
}
