import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {modelFlags} from '../../cli/model-flags.js'
import {openAgentSession} from '../../cli/agent-session.js'
import {assertPlanStart} from '../../cli/plan-store.js'
import {commandMeter, maxCostFlag} from '../../cli/cost-flags.js'
import {UsageError} from '../../core/errors/index.js'
import type {Plan} from '../../core/plan/schema.js'

export default class PlanCommand extends BaseCommand {
  static summary = 'Ask the planner for a step-by-step plan and store it under refs/parecode/plans/'
  static description = `Builds a map of the project (files and their main symbols, git status, conventions) without a model call, asks the planner model (planner_model, else model) for a plan as strict JSON, validates it (one retry with the errors), resolves symbol names to files and estimates its cost. The plan is stored as plan.yaml in a commit on refs/parecode/plans/<id> and becomes the active plan. Steps run only once approved. Review with: git pare plan show | edit | annotate <n> "note" | approve [<n>|--all] A one-word task that looks like a mistyped subcommand (\`git pare plan shw\`) is asked about on a terminal and refused elsewhere. A detached HEAD, a branch without commits or an empty repository are refused before any model call.

Exit codes: 0 planned; 2 usage (empty task, a mistyped subcommand); 3 repository state (detached HEAD, no commit yet, merge or rebase in progress, unresolved conflicts, a plan in progress, lock held); 4 model or provider error (including a planner that never returned a valid plan); 6 --max-cost stopped planning before a request (nothing is stored); 130 interrupted.`
  static examples = ['<%= config.bin %> plan "migrate @Input() to input()"', '<%= config.bin %> plan --yes "remove console.log calls from src/"']
  static args = {task: Args.string({description: 'what the plan should achieve', required: true})}
  static flags = {
    ...modelFlags,
    yes: Flags.boolean({char: 'y', description: 'approve every step on creation (recorded for you, outside the repository)'}),
    'no-hooks': Flags.boolean({description: 'do not run hooks'}),
    ...maxCostFlag,
  }

  async run(): Promise<{plan: Plan; tokens: {input: number; output: number}; cost_usd: number | null; unresolved: string[]}> {
    const {args, flags} = await this.parse(PlanCommand)
    if (!args.task.trim()) throw new UsageError('the task is empty', 'git pare plan "what to achieve"')
    const meant = await this.mistyped(args.task)
    if (meant) return (await this.config.runCommand(`plan:${meant}`, [])) as never
    const repo = await this.repo()
    await assertPlanStart(repo)
    const s = await openAgentSession(repo, flags, {onWarning: (m) => this.note(m)})
    try {
      const [{createPlan}, {openProject}, {renderPlan}, {ApprovalStore}] = await Promise.all([
        import('../../core/plan/create.js'),
        import('../../core/agent/project.js'),
        import('../../core/plan/review.js'),
        import('../../core/trust/approvals.js'),
      ])
      const project = await openProject({store: s.store, config: s.config, counter: s.runtime.counter, noHooks: flags['no-hooks'], signal: s.signal, onWarning: (m) => this.note(m)})
      const planner = s.runtime.profile.plannerModel ?? s.runtime.profile.model
      const meter = await commandMeter(s.runtime, flags['max-cost'], [planner])
      const [{TelemetryRecorder}, {appendTelemetry, telemetryFile}, {formatUsd}] = await Promise.all([import('../../core/telemetry/recorder.js'), import('../../core/telemetry/file.js'), import('../../core/model/cost.js')])
      const recorder = new TelemetryRecorder({kind: 'plan', model: planner, profile: s.runtime.profile.name, contextWindow: s.runtime.profile.contextWindow, task: args.task})
      const record = (outcome: string) => (s.config.settings.telemetry === false ? undefined : appendTelemetry(telemetryFile(s.store.paths), recorder.finish(outcome)).catch(() => undefined))
      if (!this.jsonEnabled()) process.stderr.write(`planning via ${planner}…\n`)
      const res = await createPlan({store: s.store, runtime: s.runtime, project, task: args.task, yes: flags.yes, approvals: ApprovalStore.forUser(process.env), signal: s.signal, meter, recorder}).catch(async (err) => {
        await record((err as {exitCode?: number}).exitCode === 6 ? 'limit' : 'error')
        throw err
      })
      await record('done')
      if (res.unresolved.length) this.note(`not found in the repository: ${res.unresolved.join(', ')}`)
      if (!this.jsonEnabled()) {
        this.log(renderPlan(res.plan, res.approval))
        process.stderr.write(`planning: ${res.tokens.input} in / ${res.tokens.output} out tokens${res.cost_usd === null ? '' : ` · ${formatUsd(res.cost_usd)}`}\n`)
        this.log(flags.yes ? '\nall steps approved; run them with `git pare step` (or --all)' : '\nreview it, then `git pare plan approve --all` and `git pare step`')
      }
      return {plan: res.plan, tokens: res.tokens, cost_usd: res.cost_usd, unresolved: res.unresolved}
    } finally {
      await s.close()
    }
  }

  /** A one-word task close to a plan subcommand: asked about on a terminal (yes runs it), refused without one. */
  private async mistyped(task: string): Promise<string | undefined> {
    const {mistypedSubcommand} = await import('../../core/plan/mistyped.js')
    const subs = this.config.commandIDs.filter((id) => id.startsWith('plan:')).map((id) => id.slice('plan:'.length))
    const meant = mistypedSubcommand(task, subs)
    if (!meant) return undefined
    const question = `did you mean \`git pare plan ${meant}\`?`
    if (!this.jsonEnabled() && process.stdin.isTTY && process.stderr.isTTY) {
      const {confirm} = await import('../../cli/confirm.js')
      return (await confirm(question)) ? meant : undefined
    }
    throw new UsageError(`"${task.trim()}" looks like a mistyped subcommand: ${question}`, `to plan it as a task, say more than one word: git pare plan "${task.trim()} …"`, 'mistyped_subcommand')
  }
}
