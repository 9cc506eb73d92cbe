import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {modelFlags} from '../cli/model-flags.js'
import {hookPrinter, openAgentSession} from '../cli/agent-session.js'
import {commandMeter, maxCostFlag} from '../cli/cost-flags.js'
import type {RunProjectResult} from '../core/agent/run-project.js'
import type {RunCommit} from '../core/git-commit/commit-run.js'
import {ExitCode, UsageError} from '../core/errors/index.js'
import {neutraliseLine} from '../core/text/terminal.js'

export default class Run extends BaseCommand {
  static summary = 'Run the agent on a task in place (no plan); the work tree is checkpointed first'
  static description = `The agent works directly in your work tree. Before it touches anything, the work tree is
recorded as checkpoint N under refs/parecode/ (N is printed): \`git pare show N\` shows what the run changed and
\`git pare undo\` takes it back. Each run is a turn of a session; --continue resumes the latest session, --session <id>
a given one. A run that fails before any tool ran leaves no checkpoint; one interrupted later (Ctrl+C, a server
error) keeps its checkpoint and its session so far, so --continue picks it up. Progress and hooks go to stderr, the
final answer to stdout.

Exit codes: 0 done; 1 an on_task_done hook failed; 2 usage; 3 repository state; 4 model or provider; 6 stopped
before done (the tool budget, the loop guard or --max-cost; the reason is printed); 130 interrupted. An edit that does not apply
never ends a run (the model gets the error and retries), so run does not exit 5. --json prints
{"status":<exit code>,"result":…,"warnings":[]}.`
  static examples = ['<%= config.bin %> run "rename getUser to fetchUser"', '<%= config.bin %> run --continue "yes"', '<%= config.bin %> run --quick "fix the typo in README.md"']
  static args = {task: Args.string({description: 'what to do', required: true})}
  static flags = {
    ...modelFlags,
    continue: Flags.boolean({char: 'c', description: 'continue the latest session'}),
    session: Flags.string({description: 'continue this session'}),
    quick: Flags.boolean({description: 'one model call with a reduced tool set (small fixes), on model_routes.quick when the profile sets it (unless --model)'}),
    'max-tool-calls': Flags.integer({description: 'tool-call budget for this run', min: 1, max: 500}),
    'no-hooks': Flags.boolean({description: 'do not run hooks'}),
    commit: Flags.boolean({description: "commit the run's change on the current branch (only the files it changed; message from the task and the changed symbols)"}),
    ...maxCostFlag,
  }

  private status: number = ExitCode.ok

  protected toSuccessJson(result: unknown): unknown {
    // One envelope; its status is the exit code (6 for a run stopped before done, 1 for a failing on_task_done hook).
    return {...(super.toSuccessJson(result) as object), status: this.status}
  }

  async run(): Promise<RunProjectResult & {commit: RunCommit | null}> {
    const {args, flags} = await this.parse(Run)
    if (!args.task.trim()) throw new UsageError('the task is empty', 'say what to do: git pare run "rename foo to bar"')
    if (flags.continue && flags.session) throw new UsageError('--continue and --session cannot be used together')
    const repo = await this.repo()
    const s = await openAgentSession(repo, flags, {onWarning: (m) => this.note(m)})
    try {
      // --commit on a detached or unborn HEAD is refused before any model call.
      const committer = flags.commit ? await import('../core/git-commit/commit-run.js') : undefined
      if (committer) await committer.committableHead(s.store)
      const [{runTaskWithProject}, {runModel}, {runRenderer, runSummary}] = await Promise.all([import('../core/agent/run-project.js'), import('../core/agent/run-task.js'), import('../cli/run-render.js')])
      const model = runModel(s.runtime.profile, flags.quick)
      const meter = await commandMeter(s.runtime, flags['max-cost'], [model])
      const live = await runRenderer({model, verbose: flags.verbose, json: this.jsonEnabled()})
      const res = await runTaskWithProject(s, {
        task: args.task,
        quick: flags.quick,
        session: flags.continue ? 'latest' : flags.session,
        maxToolCalls: flags['max-tool-calls'],
        noHooks: flags['no-hooks'],
        onWarning: (m) => this.note(m),
        onEvent: live.onEvent,
        onHook: hookPrinter({json: this.jsonEnabled()}),
        meter,
      }).finally(() => live.finish())
      const streamed = await live.finish()
      const failedHook = res.hooks.find((h) => h.event === 'on_task_done' && !h.ok)
      this.status = res.stop === 'interrupted' ? ExitCode.interrupted : res.stop !== 'done' ? ExitCode.stopped : failedHook ? ExitCode.failed : ExitCode.ok
      const {commitAfterRun, gitRowLines} = await import('../cli/git-rows.js')
      const commit = committer ? await commitAfterRun(committer, s.store, res, args.task, this.status === ExitCode.ok, (m) => this.note(m)) : null
      if (!this.jsonEnabled()) {
        // On a terminal the answer already streamed; what streamed nothing (a stop, quick mode's summaries) is printed.
        if (res.answer && !streamed) this.log(res.answer)
        process.stderr.write(`${runSummary(res)}\n`)
        if (res.stop === 'cost') process.stderr.write(`stopped before done: ${neutraliseLine(res.stop_reason ?? '')} (raise --max-cost, or continue with \`git pare run --continue "go on"\`)\n`)
        if (res.stop === 'budget' || res.stop === 'loop') process.stderr.write(`stopped before done: ${neutraliseLine(res.stop_reason ?? '')}${res.stop === 'budget' ? ' (raise it with --max-tool-calls, or continue with `git pare run --continue "go on"`)' : ''}\n`)
        if (failedHook) process.stderr.write(`error: the on_task_done hook \`${neutraliseLine(failedHook.command)}\` failed (${failedHook.timed_out ? 'timed out' : `exit ${failedHook.code}`})\n`)
        for (const line of gitRowLines(res.sweep, commit)) process.stderr.write(`${neutraliseLine(line)}\n`)
      }
      process.exitCode = this.status
      return Object.assign(res, {commit})
    } finally {
      await s.close()
    }
  }
}
