import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {loadCommandConfig} from '../../cli/model-flags.js'
import type {McpReport} from '../../core/mcp/inspect.js'

export type McpListResult = McpReport

export default class McpList extends BaseCommand {
  static summary = 'List the MCP servers git-pare uses: whether each starts, its tools and what their schemas cost'
  static description = `Servers come from mcp_servers in your config (~/.config/parecode/config.yaml) and in the repository's .parecode/config.yaml; a repository's server starts only once you approved it with \`git pare trust\`. Each enabled, approved server is started, asked for its tools and stopped again.

Token costs are counted with the profile's tokenizer on the schemas as offered to the model (descriptions cut to their first sentence, $schema, titles, defaults and examples dropped); raw is what the server's own schemas would cost. run and chat offer servers in the order listed while their schemas fit in mcp_schema_budget (default 2000 tokens); a plan step offers only the servers it names (mcp: [name] in plan.yaml) or whose routes include the step's route.`

  static examples = ['<%= config.bin %> mcp list', '<%= config.bin %> mcp list --json']

  static flags = {
    profile: Flags.string({description: 'profile whose tokenizer counts the schemas'}),
  }

  async run(): Promise<McpListResult> {
    const {flags} = await this.parse(McpList)
    const {findRepo} = await import('../../core/store/repo.js')
    const root = await findRepo(process.cwd()).then((r) => r.root, () => null)
    const loaded = await loadCommandConfig({profile: flags.profile}, {repoRoot: root, note: (w) => this.note(w)})
    const [{inspectMcp}, {loadTokenCounter}, {ApprovalStore}] = await Promise.all([import('../../core/mcp/inspect.js'), import('../../core/context/tokenizer.js'), import('../../core/trust/approvals.js')])
    const counter = await loadTokenCounter(loaded.profile.tokenizer)
    const report = await inspectMcp(loaded.mcp, {root: root ?? process.cwd(), env: process.env, counter, approvals: ApprovalStore.forUser(process.env)})
    if (!this.jsonEnabled()) await this.render(report)
    return report
  }

  private async render(r: McpReport): Promise<void> {
    const {neutraliseLine: clean} = await import('../../core/text/terminal.js')
    if (!r.servers.length) {
      this.log('no MCP servers configured: add mcp_servers to ~/.config/parecode/config.yaml, e.g.\n  mcp_servers:\n    docs: {command: npx, args: [-y, some-mcp-server]}')
      return
    }
    const lines: string[] = []
    for (const s of r.servers) {
      const state = s.state === 'started' ? `${s.tools.length} tool${s.tools.length === 1 ? '' : 's'}, ${s.tokens} tokens (raw ${s.raw_tokens})${s.offered ? '' : ', left out: over mcp_schema_budget'}` : `${s.state.replace('_', ' ')}: ${s.reason ?? ''}`
      lines.push(`${clean(s.name)}  ${s.transport} ${clean(s.target)}  (${s.source})`, `  ${clean(state)}`)
      for (const t of s.tools) lines.push(`    ${clean(t.wire_name).padEnd(40)} ${String(t.tokens).padStart(5)} tokens`)
    }
    lines.push('', `offered to run and chat: ${r.offered_tokens} of mcp_schema_budget ${r.schema_budget} tokens`)
    this.log(lines.join('\n'))
  }
}
