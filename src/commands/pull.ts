import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {PullResult} from '../core/store/index.js'
import type {FetchConfigResult} from '../core/store/fetch-refspec.js'

export default class Pull extends BaseCommand {
  static summary = 'Pull plans and sessions from a remote'
  static description = `Fetches the remote's refs/parecode/plans, sessions and archived turns into refs/parecode-remote/<remote>/, then moves each local one forward only where that is a fast-forward. A plan or session changed on both sides is kept as yours and reported; the remote version stays under refs/parecode-remote/<remote>/ for you to compare. Your branches and work tree are not touched. Exits 1 when there were conflicts.

Plain \`git fetch\` brings no refs/parecode/* by default. --configure adds refspecs to remote.<name>.fetch (once) so that it does: they fetch into refs/parecode-remote/<remote>/, never over your own plans and sessions, and the next \`git pare pull\` moves yours forward.`

  static examples = ['<%= config.bin %> pull', '<%= config.bin %> pull upstream --json', '<%= config.bin %> pull --configure']

  static args = {remote: Args.string({description: 'remote name or URL', default: 'origin'})}
  static flags = {configure: Flags.boolean({description: 'also make plain `git fetch <remote>` bring git-pare\'s refs (adds refspecs to remote.<name>.fetch)'})}

  async run(): Promise<PullResult & {configured?: FetchConfigResult}> {
    const {args, flags} = await this.parse(Pull)
    const {openStore} = await import('../core/store/index.js')
    const store = await openStore(await this.repo(), {onWarning: (m) => this.note(m)})
    let configured: FetchConfigResult | undefined
    if (flags.configure) {
      const {configureFetch} = await import('../core/store/fetch-refspec.js')
      configured = await store.withLock(() => configureFetch(store.ctx, args.remote))
      for (const spec of configured.added) this.note(`added to remote.${args.remote}.fetch: ${spec}`)
    }
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
    return configured ? {...res, configured} : res
  }
}
