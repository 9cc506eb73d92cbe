import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {modelFlags} from '../cli/model-flags.js'
import {openAgentSession, progressPrinter} from '../cli/agent-session.js'
import type {RunTaskResult} from '../core/agent/run-task.js'
import {UsageError} from '../core/errors/index.js'
import {neutraliseLine} from '../core/text/terminal.js'

export default class Run extends BaseCommand {
  static summary = 'Run the agent on a task in place (no plan); the work tree is checkpointed first'
  static description = `The agent works directly in your work tree. Before it touches anything, the work tree is
recorded as a checkpoint under refs/parecode/, so \`git pare undo\` brings it back. Each run is a turn of a
session; --continue resumes the latest session, --session <id> a given one.
Progress goes to stderr, the final answer to stdout.`
  static examples = ['<%= config.bin %> run "rename getUser to fetchUser"', '<%= config.bin %> run --continue "yes"', '<%= config.bin %> run --quick "fix the typo in README.md"']
  static args = {task: Args.string({description: 'what to do', required: true})}
  static flags = {
    ...modelFlags,
    continue: Flags.boolean({char: 'c', description: 'continue the latest session'}),
    session: Flags.string({description: 'continue this session'}),
    quick: Flags.boolean({description: 'one model call with a reduced tool set (small fixes)'}),
    'max-tool-calls': Flags.integer({description: 'tool-call budget for this run', min: 1, max: 500}),
    'no-hooks': Flags.boolean({description: 'do not run hooks'}),
  }

  protected toSuccessJson(result: unknown): unknown {
    // {answer, tool_calls, tokens, files_changed} at the top level too, for scripts that read them directly.
    return {...(result as object), ...(super.toSuccessJson(result) as object)}
  }

  async run(): Promise<RunTaskResult> {
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
      })
      if (!this.jsonEnabled()) {
        if (res.answer) this.log(res.answer)
        process.stderr.write(`${res.files_changed.length} file(s) changed · ${res.tool_calls} tool calls · ${res.tokens.input} in / ${res.tokens.output} out tokens · session ${neutraliseLine(res.session.id)} · undo: git pare undo\n`)
      }
      if (res.stop === 'interrupted') process.exitCode = 130
      return res
    } finally {
      await s.close()
    }
  }
}
