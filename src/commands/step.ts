import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {modelFlags} from '../cli/model-flags.js'
import {openAgentSession} from '../cli/agent-session.js'
import {assertPlanStart, planFlag} from '../cli/plan-store.js'
import {plainStepPrinter, withListr} from '../cli/step-progress.js'
import {ExitCode, UsageError} from '../core/errors/index.js'
import type {StepRunResult} from '../core/plan/step-runner.js'
import {neutraliseLine} from '../core/text/terminal.js'

export default class Step extends BaseCommand {
  static summary = 'Run the next approved step of the active plan (or step <n>, or --all)'
  static description = `The first step creates the scratch branch pare/<plan-id> from your branch and checks it out; your uncommitted changes (staged, unstaged, untracked) are recorded under refs/parecode/uncommitted/<plan-id> and carried onto it as their own commit; \`git pare finish\` and \`git pare abort\` give them back as they were. Before each step a checkpoint is recorded; the step runs in a fresh context (its instruction, excerpts of its files, one line per earlier step), is verified without a model, and is committed as "step N: …" with Pare-* trailers. A failed check gets one retry with its output; then the step is marked failed and the plan paused; run \`git pare step\` again to resume. A step runs only when you approved it as it is now (\`git pare plan approve\`). A detached HEAD, a branch without commits, an empty repository or unresolved conflicts are refused before any model call.

Exit codes: 0 every step run passed its check; 1 a step failed its check (the plan is paused); 2 usage (no plan, unknown plan id, a step that does not exist, is done or is not approved); 3 repository state (detached HEAD, no commit yet, merge or rebase in progress, unresolved conflicts, another plan in progress, lock held); 4 model or provider error; 130 interrupted.`
  static examples = ['<%= config.bin %> step', '<%= config.bin %> step 2', '<%= config.bin %> step --all', '<%= config.bin %> step --plan 20260101-120000-abcd']
  static args = {n: Args.integer({description: 'step number (1-based)'})}
  static flags = {
    ...modelFlags,
    ...planFlag,
    all: Flags.boolean({description: 'run every remaining approved step'}),
    'no-hooks': Flags.boolean({description: 'do not run hooks'}),
  }

  async run(): Promise<StepRunResult> {
    const {args, flags} = await this.parse(Step)
    if (args.n !== undefined && flags.all) throw new UsageError('give a step number or --all, not both')
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
      const telemetry = s.config.settings.telemetry !== false
      const work = (onEvent: Parameters<typeof runSteps>[0]['onEvent']) =>
        runSteps({store: s.store, runtime: s.runtime, project, approvals, signal: s.signal, plan: flags.plan, n: args.n, all: flags.all, onEvent, onRecord: (r) => void (telemetry && appendTelemetry(file, r).catch(() => undefined))})
      const res = this.plain ? await work(this.jsonEnabled() ? undefined : plainStepPrinter(flags.verbose)) : await withListr(work)
      if (!this.jsonEnabled()) {
        for (const o of res.steps) {
          this.log(`${o.ok ? '✓' : '✗'} step ${o.n}: ${neutraliseLine(o.description)} · verify ${neutraliseLine(o.verify)} · ${o.tokens.input} in / ${o.tokens.output} out tokens${o.commit ? ` · ${o.commit.slice(0, 7)}` : ''}`)
          for (const l of o.summary) this.log(`    ${l}`)
        }
        const failed = res.steps.find((o) => !o.ok)
        if (failed) this.log(`plan paused at step ${failed.n}; fix or annotate it (git pare plan annotate ${failed.n} "…"), then run \`git pare step\` again, or \`git pare undo\``)
        else if (res.plan_status === 'done') this.log('every step is done: `git pare finish` merges the result into your branch')
        else this.log('next: `git pare step`')
      }
      if (res.steps.some((o) => !o.ok)) process.exitCode = ExitCode.failed
      return res
    } finally {
      await s.close()
    }
  }
}
