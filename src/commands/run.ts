import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {modelFlags} from '../cli/model-flags.js'
import {hookPrinter, openAgentSession, progressPrinter} from '../cli/agent-session.js'
import type {RunProjectResult} from '../core/agent/run-project.js'
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
before done (the tool budget or the loop guard; the reason is printed); 130 interrupted. An edit that does not apply
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
  }

  private status: number = ExitCode.ok

  protected toSuccessJson(result: unknown): unknown {
    // One envelope; its status is the exit code (6 for a run stopped before done, 1 for a failing on_task_done hook).
    return {...(super.toSuccessJson(result) as object), status: this.status}
  }

  async run(): Promise<RunProjectResult> {
    const {args, flags} = await this.parse(Run)
    if (!args.task.trim()) throw new UsageError('the task is empty', 'say what to do: git pare run "rename foo to bar"')
    if (flags.continue && flags.session) throw new UsageError('--continue and --session cannot be used together')
    const repo = await this.repo()
    const s = await openAgentSession(repo, flags, {onWarning: (m) => this.note(m)})
    try {
      const {runTaskWithProject} = await import('../core/agent/run-project.js')
      const res = await runTaskWithProject(s, {
        task: args.task,
        quick: flags.quick,
        session: flags.continue ? 'latest' : flags.session,
        maxToolCalls: flags['max-tool-calls'],
        noHooks: flags['no-hooks'],
        onWarning: (m) => this.note(m),
        onEvent: progressPrinter({verbose: flags.verbose, json: this.jsonEnabled()}),
        onHook: hookPrinter({json: this.jsonEnabled()}),
      })
      const failedHook = res.hooks.find((h) => h.event === 'on_task_done' && !h.ok)
      this.status = res.stop === 'interrupted' ? ExitCode.interrupted : res.stop !== 'done' ? ExitCode.stopped : failedHook ? ExitCode.failed : ExitCode.ok
      if (!this.jsonEnabled()) {
        if (res.answer) this.log(res.answer)
        const cp = res.checkpoint.seq
        process.stderr.write(`${res.files_changed.length} file(s) changed · ${res.tool_calls} tool calls · ${res.tokens.input} in / ${res.tokens.output} out tokens · session ${neutraliseLine(res.session.id)} · checkpoint ${cp} (git pare show ${cp}; undo: git pare undo)\n`)
        if (res.stop === 'budget' || res.stop === 'loop') process.stderr.write(`stopped before done: ${neutraliseLine(res.stop_reason ?? '')}${res.stop === 'budget' ? ' (raise it with --max-tool-calls, or continue with `git pare run --continue "go on"`)' : ''}\n`)
        if (failedHook) process.stderr.write(`error: the on_task_done hook \`${neutraliseLine(failedHook.command)}\` failed (${failedHook.timed_out ? 'timed out' : `exit ${failedHook.code}`})\n`)
      }
      process.exitCode = this.status
      return res
    } finally {
      await s.close()
    }
  }
}
