import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {modelFlags} from '../cli/model-flags.js'
import {UsageError} from '../core/errors/index.js'

export default class Chat extends BaseCommand {
  static summary = 'An interactive session: each line you type is a turn of `run` in one session'
  static description = `Each line is a turn of the same agent loop as \`git pare run\`: a checkpoint and a session commit, so
\`git pare undo\`, \`git pare session list/show/rollback\` and \`git pare chat --continue\` work on it. The answer streams
(markdown rendered on a terminal), one line per tool call; a status line follows each turn.

On a terminal: history (kept in the git dir), Tab completion of /commands and @paths, a trailing \\ or a paste for
several lines, @path attaches a file, Ctrl+C cancels the running turn (its checkpoint is kept), Ctrl+C twice at an
empty prompt or Ctrl+D leaves. /help lists the commands: /undo /redo /diff /log /status /plan /step /approve /model
/profile /cost /clear /compact /init /hooks /help /exit.

Without a terminal, turns are read from stdin one per line and printed as plain text; --json prints one
{"status","result","warnings"} object per turn. Off a terminal the exit code is that of the last turn or command that
failed (0 when none did).`
  static examples = ['<%= config.bin %> chat', '<%= config.bin %> chat --continue', 'printf "add a test\\n/diff\\n" | <%= config.bin %> chat --json']
  static args = {task: Args.string({description: 'a first turn to run before the prompt', ignoreStdin: true})}
  static flags = {
    ...modelFlags,
    continue: Flags.boolean({char: 'c', description: 'continue the latest session'}),
    session: Flags.string({description: 'continue this session'}),
    'max-tool-calls': Flags.integer({description: 'tool-call budget for each turn', min: 1, max: 500}),
    'no-hooks': Flags.boolean({description: 'do not run hooks'}),
  }

  async run(): Promise<{turns: number; session: string | null}> {
    const {args, flags} = await this.parse(Chat)
    if (flags.continue && flags.session) throw new UsageError('--continue and --session cannot be used together')
    if (args.task !== undefined && !args.task.trim()) throw new UsageError('the task is empty', 'say what to do, or leave it out to get the prompt')
    if (!this.jsonEnabled()) await (await import('../cli/setup-flow.js')).offerSetupBeforeChat(flags)
    const {runChat} = await import('../cli/chat/app.js')
    const res = await runChat({...flags, task: args.task, json: this.jsonEnabled()}, {runCommand: (id, argv) => this.config.runCommand(id, argv)})
    this.printedJson = res.jsonLines > 0
    process.exitCode = res.code
    return {turns: res.turns, session: res.session ?? null}
  }

  private printedJson = false

  /** --json printed one envelope per turn already; a chat with no turn at all prints one: {"turns":0,"session":null}. */
  protected logJson(json: unknown): void {
    if (!this.printedJson) super.logJson(json)
  }
}
