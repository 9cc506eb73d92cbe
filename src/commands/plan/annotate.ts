import {Args} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore, planFlag} from '../../cli/plan-store.js'
import type {Plan} from '../../core/plan/schema.js'

export default class PlanAnnotate extends BaseCommand {
  static summary = "Add a note to a step's instruction (the model sees it as a user note)"
  static description = 'Exit codes: 0 done; 2 usage (no plan, unknown plan id, a step that does not exist, an empty note); 3 repository state (the stored plan is not valid, lock held).'
  static examples = ['<%= config.bin %> plan annotate 2 "keep the old function as a deprecated alias"', '<%= config.bin %> plan annotate 2 "…" --plan 20260101-120000-abcd']
  static flags = {...planFlag}
  static args = {
    step: Args.integer({description: 'step number (1-based)', required: true}),
    note: Args.string({description: 'the note', required: true}),
  }

  async run(): Promise<Plan> {
    const {args, flags} = await this.parse(PlanAnnotate)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const {annotateStep} = await import('../../core/plan/review.js')
    const plan = await annotateStep(store, args.step, args.note, flags.plan)
    if (!this.jsonEnabled()) this.log(`note added to step ${args.step} of plan ${plan.id}; approve the step again with \`git pare plan approve ${args.step}\``)
    return plan
  }
}
