import {Args} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {PullResult} from '../core/store/index.js'

export default class Pull extends BaseCommand {
  static summary = 'Pull plans and sessions from a remote'
  static description = `Fetches the remote's refs/parecode/plans, sessions and archived turns into refs/parecode-remote/<remote>/, then moves each local one forward only where that is a fast-forward. A plan or session changed on both sides is kept as yours and reported; the remote version stays under refs/parecode-remote/<remote>/ for you to compare. Your branches and work tree are not touched. Exits 1 when there were conflicts.`

  static examples = ['<%= config.bin %> pull', '<%= config.bin %> pull upstream --json']

  static args = {remote: Args.string({description: 'remote name or URL', default: 'origin'})}

  async run(): Promise<PullResult> {
    const {args} = await this.parse(Pull)
    const {openStore} = await import('../core/store/index.js')
    const store = await openStore(await this.repo(), {onWarning: (m) => this.note(m)})
    const res = await store.pull(args.remote)
    for (const c of res.conflicts) this.note(`${c.ref.replace('refs/parecode/', '')} changed on both sides: kept yours; theirs is ${c.remote_ref}`)
    if (!this.jsonEnabled()) {
      const short = (r: string) => r.replace('refs/parecode/', '')
      const lines = [...res.created.map((r) => `new ${short(r)}`), ...res.updated.map((r) => `updated ${short(r)}`)]
      if (res.ahead.length) lines.push(`${res.ahead.length} ahead of ${args.remote} (push them with \`git pare push\`)`)
      if (res.up_to_date) lines.push(`${res.up_to_date} already up to date`)
      if (!lines.length && !res.conflicts.length) lines.push(`nothing on ${args.remote} yet`)
      this.log(lines.join('\n'))
    }
    if (res.conflicts.length) process.exitCode = 1
    return res
  }
}
