import {Args} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {PushResult} from '../core/store/index.js'

export default class Push extends BaseCommand {
  static summary = 'Push plans and sessions to a remote'
  static description = `Pushes refs/parecode/plans/*, refs/parecode/sessions/* and archived session turns (fast-forward only: a plan that changed on the remote too is rejected, never overwritten; run \`git pare pull\` first). Checkpoints, snapshots and redo entries describe this work tree only and stay local. Exits 1 when something was rejected.`

  static examples = ['<%= config.bin %> push', '<%= config.bin %> push upstream --json']

  static args = {remote: Args.string({description: 'remote name or URL', default: 'origin'})}

  async run(): Promise<PushResult> {
    const {args} = await this.parse(Push)
    const {openStore} = await import('../core/store/index.js')
    const store = await openStore(await this.repo())
    const res = await store.push(args.remote)
    for (const r of res.rejected) this.note(`${r.ref} rejected (${r.reason}): run \`git pare pull ${args.remote}\` first`)
    if (!this.jsonEnabled()) {
      const lines = res.pushed.map((r) => `pushed ${r.replace('refs/parecode/', '')}`)
      if (res.upToDate) lines.push(`${res.upToDate} already up to date`)
      if (!lines.length && !res.rejected.length) lines.push('nothing to push: no plans or sessions yet')
      this.log(lines.join('\n'))
    }
    if (res.rejected.length) process.exitCode = 1
    return res
  }
}
