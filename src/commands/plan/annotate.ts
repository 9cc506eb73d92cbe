import {Args} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore} from '../../cli/plan-store.js'
import type {Plan} from '../../core/plan/schema.js'

export default class PlanAnnotate extends BaseCommand {
  static summary = "Add a note to a step's instruction (the model sees it as a user note)"
  static examples = ['<%= config.bin %> plan annotate 2 "keep the old function as a deprecated alias"']
  static args = {
    step: Args.integer({description: 'step number (1-based)', required: true}),
    note: Args.string({description: 'the note', required: true}),
  }

  async run(): Promise<Plan> {
    const {args} = await this.parse(PlanAnnotate)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const {annotateStep} = await import('../../core/plan/review.js')
    const plan = await annotateStep(store, args.step, args.note)
    if (!this.jsonEnabled()) this.log(`note added to step ${args.step} of plan ${plan.id}; approve the step again with \`git pare plan approve ${args.step}\``)
    return plan
  }
}
