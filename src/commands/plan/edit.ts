import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {BaseCommand} from '../../cli/base-command.js'
import {openPlanStore, planFlag} from '../../cli/plan-store.js'
import {UsageError} from '../../core/errors/index.js'
import type {Plan} from '../../core/plan/schema.js'

export default class PlanEdit extends BaseCommand {
  static summary = 'Edit the active plan as YAML in $EDITOR; re-validated on save'
  static description = `Opens plan.yaml in $VISUAL or $EDITOR (else vi). When the edited file is not valid YAML or not a valid plan, the error is reported and the previous version is kept.

Exit codes: 0 done; 2 usage (no plan, unknown plan id, the editor failed, the edit is not a valid plan); 3 repository state (the stored plan is not valid, lock held).`
  static examples = ['EDITOR=nano <%= config.bin %> plan edit', '<%= config.bin %> plan edit --plan 20260101-120000-abcd']
  static flags = {...planFlag}

  async run(): Promise<Plan> {
    const {flags} = await this.parse(PlanEdit)
    const store = await openPlanStore(await this.repo(), (m) => this.note(m))
    const [{loadPlan}, {planToYaml, replacePlanYaml}] = await Promise.all([import('../../core/plan/plan-store.js'), import('../../core/plan/review.js')])
    const {plan} = await loadPlan(store, flags.plan)
    const dir = mkdtempSync(path.join(tmpdir(), 'pare-plan-'))
    const file = path.join(dir, `plan-${plan.id}.yaml`)
    try {
      writeFileSync(file, planToYaml(plan))
      const editor = process.env.VISUAL || process.env.EDITOR || 'vi'
      const res = spawnSync(`${editor} "${file}"`, {stdio: 'inherit', shell: true})
      if (res.status !== 0) throw new UsageError(`the editor (${editor}) exited with ${res.status ?? res.signal}; the plan was not changed`)
      const text = readFileSync(file, 'utf8')
      if (text === planToYaml(plan)) {
        if (!this.jsonEnabled()) this.log('no changes')
        return plan
      }
      const edited = await replacePlanYaml(store, text, plan.id)
      if (!this.jsonEnabled()) this.log(`plan ${edited.id} saved; steps you changed need \`git pare plan approve\` again (see \`git pare plan show\`)`)
      return edited
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  }
}
