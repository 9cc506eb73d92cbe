import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {modelFlags} from '../cli/model-flags.js'
import {openAgentSession} from '../cli/agent-session.js'
import {commandMeter, maxCostFlag} from '../cli/cost-flags.js'
import {assertPlanStart, planFlag} from '../cli/plan-store.js'
import {plainStepPrinter, withListr, withParallelListr} from '../cli/step-progress.js'
import {jsonProgress, stepProgressLine} from '../core/mcp/server/progress.js'
import {ExitCode, UsageError} from '../core/errors/index.js'
import type {StepRunResult} from '../core/plan/step-runner.js'
import {neutraliseLine} from '../core/text/terminal.js'
import {formatUsd} from '../core/model/cost.js'

export default class Step extends BaseCommand {
  static summary = 'Run the next approved step of the active plan (or step <n>, or --all)'
  static description = `The first step creates the scratch branch pare/<plan-id> from your branch and checks it out; your uncommitted changes (staged, unstaged, untracked) are recorded under refs/parecode/uncommitted/<plan-id> and carried onto it as their own commit; \`git pare finish\` and \`git pare abort\` give them back as they were. Before each step a checkpoint is recorded; the step runs in a fresh context (its instruction, excerpts of its files, one line per earlier step), is verified without a model, and is committed as "step N: …" with Pare-* trailers. A failed check gets one retry with its output; then the step is marked failed and the plan paused; run \`git pare step\` again to resume. A step runs only when you approved it as it is now (\`git pare plan approve\`). A detached HEAD, a branch without commits, an empty repository or unresolved conflicts are refused before any model call.

--all --jobs N runs up to N steps at once, each in a linked worktree of its own (under the git dir, removed afterwards) on branch pare/<plan-id>-<n>, started from the plan's branch as integrated so far. Steps whose files overlap (or that say \`after:\`) wait for each other. Each passing step is integrated into pare/<plan-id> in plan order, without rewriting the ones before it; your checkout follows. A failed check or a conflict stops only that step (and those waiting for it); \`git pare step <n>\` runs it again on top of the integrated branch.

Exit codes: 0 every step run passed its check; 1 a step failed its check or conflicted (the plan is paused); 2 usage (no plan, unknown plan id, a step that does not exist, is done or is not approved); 3 repository state (detached HEAD, no commit yet, merge or rebase in progress, unresolved conflicts, another plan in progress, lock held); 4 model or provider error; 6 --max-cost stopped a step before a request (its work so far is kept; the plan is paused); 130 interrupted.`
  static examples = ['<%= config.bin %> step', '<%= config.bin %> step 2', '<%= config.bin %> step --all', '<%= config.bin %> step --all --jobs 3', '<%= config.bin %> step --plan 20260101-120000-abcd']
  static args = {n: Args.integer({description: 'step number (1-based)'})}
  static flags = {
    ...modelFlags,
    ...planFlag,
    all: Flags.boolean({description: 'run every remaining approved step'}),
    jobs: Flags.integer({description: 'with --all: run up to this many independent steps at once, each in its own worktree', min: 1, max: 16, default: 1}),
    'no-hooks': Flags.boolean({description: 'do not run hooks'}),
    ...maxCostFlag,
  }

  async run(): Promise<StepRunResult> {
    const {args, flags} = await this.parse(Step)
    if (args.n !== undefined && flags.all) throw new UsageError('give a step number or --all, not both')
    // Steps in parallel cannot share one running total fairly: the limit is held one step at a time.
    if (flags.jobs > 1 && flags['max-cost'] !== undefined) throw new UsageError('--max-cost runs steps one at a time: leave out --jobs', 'git pare step --all --max-cost 1.50')
    if (flags.jobs > 1 && !flags.all) throw new UsageError('--jobs runs several steps: use it with --all', 'git pare step --all --jobs 3')
    const repo = await this.repo()
    await assertPlanStart(repo, "switch to the plan's branch (`git switch pare/<plan-id>`, see `git pare plan show`) or to yours, then run `git pare step`")
    const s = await openAgentSession(repo, flags, {onWarning: (m) => this.note(m)})
    try {
      const [{runSteps}, {openProject}, {appendTelemetry, telemetryFile}, {ApprovalStore}] = await Promise.all([
        import('../core/plan/step-runner.js'),
        import('../core/agent/project.js'),
        import('../core/telemetry/file.js'),
        import('../core/trust/approvals.js'),
      ])
      const approvals = ApprovalStore.forUser(process.env)
      const project = await openProject({store: s.store, config: s.config, counter: s.runtime.counter, noHooks: flags['no-hooks'], signal: s.signal, onWarning: (m) => this.note(m)})
      const file = telemetryFile(s.store.paths)
      const meter = await commandMeter(s.runtime, flags['max-cost'], [s.runtime.profile.model, ...Object.values(s.runtime.profile.modelRoutes)])
      const telemetry = s.config.settings.telemetry !== false
      const work = (onEvent: Parameters<typeof runSteps>[0]['onEvent']) =>
        runSteps({store: s.store, runtime: s.runtime, project, approvals, signal: s.signal, plan: flags.plan, n: args.n, all: flags.all, jobs: flags.jobs, meter, onEvent, onRecord: (r) => void (telemetry && appendTelemetry(file, r).catch(() => undefined))})
      const res = this.plain ? await work(this.jsonEnabled() ? jsonProgress(process.env, stepProgressLine, (l) => process.stderr.write(l)) : plainStepPrinter(flags.verbose)) : await (flags.jobs > 1 ? withParallelListr(work) : withListr(work))
      if (!this.jsonEnabled()) {
        for (const o of res.steps) {
          this.log(`${o.ok ? '✓' : '✗'} step ${o.n}: ${neutraliseLine(o.description)} · verify ${neutraliseLine(o.verify)} · ${o.tokens.input} in / ${o.tokens.output} out tokens${typeof o.cost_usd === 'number' ? ` · ${formatUsd(o.cost_usd)}` : ''}${o.commit ? ` · ${o.commit.slice(0, 7)}` : ''}`)
          if (o.conflict) this.log(`    conflict with the steps integrated before it in ${o.conflict.map(neutraliseLine).join(', ')}`)
          for (const l of o.summary) this.log(`    ${l}`)
        }
        const failed = res.steps.find((o) => !o.ok)
        if (failed) this.log(`plan paused at step ${failed.n}; fix or annotate it (git pare plan annotate ${failed.n} "…"), then run \`git pare step\` again, or \`git pare undo\``)
        else if (res.plan_status === 'done') this.log('every step is done: `git pare finish` merges the result into your branch')
        else this.log('next: `git pare step`')
      }
      if (res.steps.some((o) => !o.ok)) process.exitCode = res.steps.some((o) => o.stopped === 'cost') ? ExitCode.stopped : ExitCode.failed
      return res
    } finally {
      await s.close()
    }
  }
}
