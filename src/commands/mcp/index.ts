import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {BaseCommand} from '../../cli/base-command.js'
import {UsageError} from '../../core/errors/index.js'

export default class Mcp extends BaseCommand {
  static summary = "Serve git pare's operations as MCP tools over stdio, for editors and other agents"
  static description = `Speaks the Model Context Protocol on stdin/stdout for the repository it is started in (\`git -C <repo> pare mcp\` when the client cannot set a directory). Tools: status, log, plan_show, diff, session_list (read-only) and run, plan, step, undo, redo. Each runs the matching \`git pare … --json\` command in that directory and returns its envelope as the result, so the rules are the command line's: repository trust, the lock, checkpoints. Nothing is approved for you: a bash command that would ask is refused (the server has no terminal), plan steps run only once you approved them (\`git pare plan approve\`), and undo/redo never take --force. Profiles, models and endpoints come from your config and environment, never from a tool's arguments.

Long calls send MCP progress notifications (a tool call, a model request, a step) when the client asks for them; a cancelled call is interrupted like Ctrl+C: its checkpoint is kept and \`undo\` restores the tree. Diagnostics go to stderr; stdout carries only the protocol.

Exit codes: 0 the client disconnected; 2 usage (--json: stdout is the protocol); 3 not a repository; 130 interrupted.`
  static examples = ['<%= config.bin %> mcp', 'git -C ~/src/shop pare mcp']
  async run(): Promise<void> {
    await this.parse(Mcp)
    // stdout is the protocol: a server has no --json envelope of its own, only this refusal in one.
    if (this.jsonEnabled()) throw new UsageError('git pare mcp speaks MCP (JSON-RPC) on stdout: --json does not apply', 'start it from an MCP client (see `git pare mcp --help`); each tool result is already the command\'s --json envelope')
    // Fail before the handshake when there is no repository: one line on stderr, exit 3.
    await this.repo()
    const {serveMcp} = await import('../../core/mcp/server/serve.js')
    const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js')
    const {neutraliseLine} = await import('../../core/text/terminal.js')
    const srv = await serveMcp({
      cli: {node: process.execPath, script, cwd: process.cwd(), env: process.env},
      version: this.config.version,
      log: (line) => process.stderr.write(`git pare mcp: ${line.split('\n').map(neutraliseLine).join('\n  ')}\n`),
    })
    let signalled = false
    const onSignal = () => {
      signalled = true
      void srv.stop()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    try {
      await srv.closed
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    if (signalled) process.exitCode = 130
  }
}
