import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {GcResult} from '../core/store/index.js'

export default class Gc extends BaseCommand {
  static summary = 'Prune old snapshots and checkpoints'
  static description = `Keeps the newest --keep snapshots, checkpoints, archived redo entries and archived turns of each session, and deletes the refs of older ones, except checkpoints a plan or session that still exists refers to. Plans and sessions themselves are never pruned. The objects are freed by git's own \`git gc\` later.`

  static examples = ['<%= config.bin %> gc', '<%= config.bin %> gc --keep 10 --json']

  static flags = {keep: Flags.integer({description: 'how many of each kind to keep', default: 50, min: 0})}

  async run(): Promise<GcResult> {
    const {flags} = await this.parse(Gc)
    const {openStore} = await import('../core/store/index.js')
    const store = await openStore(await this.repo(), {onWarning: (m) => this.note(m)})
    const res = await store.gc({keep: flags.keep})
    if (!this.jsonEnabled()) {
      const lines = [`deleted ${res.deleted.length} ref${res.deleted.length === 1 ? '' : 's'}, kept ${res.kept}`]
      if (res.protected.length) lines.push(`${res.protected.length} older ones kept because a plan or session still needs them`)
      this.log(lines.join('\n'))
    }
    return res
  }
}
