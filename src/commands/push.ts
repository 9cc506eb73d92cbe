import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {PushResult} from '../core/store/index.js'

const SHOWN = 5

export default class Push extends BaseCommand {
  static summary = 'Push plans and sessions to a remote'
  static description = `Pushes refs/parecode/plans/*, refs/parecode/sessions/* and archived session turns (fast-forward only: a plan that changed on the remote too is rejected, never overwritten; run \`git pare pull\` first). Checkpoints, snapshots and redo entries describe this work tree only and stay local. Everything the remote does not have yet is scanned for secrets first: a finding refuses the push (exit 3) and names where it is, unless --allow-secrets. Exits 1 when something was rejected.`

  static examples = ['<%= config.bin %> push', '<%= config.bin %> push upstream --json', '<%= config.bin %> push --allow-secrets']

  static args = {remote: Args.string({description: 'remote name or URL', default: 'origin'})}

  static flags = {
    'allow-secrets': Flags.boolean({description: 'push even when the scan finds secrets in what would be sent'}),
  }

  async run(): Promise<PushResult> {
    const {args, flags} = await this.parse(Push)
    const [{openStore}, {describeFinding}, {neutraliseLine}] = await Promise.all([import('../core/store/index.js'), import('../core/secrets/index.js'), import('../core/text/terminal.js')])
    const store = await openStore(await this.repo())
    const res = await store.push(args.remote, {allowSecrets: flags['allow-secrets']})
    if (res.secrets?.length) {
      const more = res.secrets.length > SHOWN ? ` and ${res.secrets.length - SHOWN} more` : ''
      this.note(`pushed ${res.secrets.length === 1 ? 'a secret' : `${res.secrets.length} secrets`} anyway (--allow-secrets): ${res.secrets.slice(0, SHOWN).map(describeFinding).join('; ')}${more}`)
    }
    if (res.unscanned?.length) {
      const more = res.unscanned.length > SHOWN ? ` and ${res.unscanned.length - SHOWN} more` : ''
      this.note(`not scanned for secrets (over 1 MiB): ${res.unscanned.slice(0, SHOWN).map((u) => neutraliseLine(u.path)).join(', ')}${more}`)
    }
    for (const r of res.rejected) this.note(`${neutraliseLine(r.ref)} rejected (${neutraliseLine(r.reason)}): run \`git pare pull ${args.remote}\` first`)
    if (!this.jsonEnabled()) {
      const lines = res.pushed.map((r) => `pushed ${r.replace('refs/parecode/', '')}`)
      if (res.up_to_date) lines.push(`${res.up_to_date} already up to date`)
      if (!lines.length && !res.rejected.length) lines.push('nothing to push: no plans or sessions yet')
      this.log(lines.join('\n'))
    }
    if (res.rejected.length) process.exitCode = 1
    return res
  }

  // A refused push carries its findings in --json, so scripts can show or fix them.
  protected toErrorJson(err: unknown): unknown {
    const out = super.toErrorJson(err) as {error: Record<string, unknown>}
    const findings = (err as {findings?: unknown}).findings
    if (Array.isArray(findings)) out.error.findings = findings
    return out
  }
}
