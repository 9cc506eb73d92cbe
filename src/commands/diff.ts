import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {NUMBERING} from '../core/store/format.js'

export interface DiffCommandResult {
  checkpoint: {seq: number; label: string; commit: string}
  files: {status: string; path: string}[]
  patch?: string
}

export default class Diff extends BaseCommand {
  static summary = 'What changed in the work tree since a checkpoint'
  static description = `Compares checkpoint N (default: the newest, i.e. what \`git pare undo\` would go back to) with the work tree as it is now, untracked files included and ignored files left out. Your index is not read or changed.

${NUMBERING}

Exit codes: 0; 2 no such checkpoint, or none yet; 3 not a repository.`

  static examples = ['<%= config.bin %> diff', '<%= config.bin %> diff 2 --stat', '<%= config.bin %> diff --json']

  static args = {checkpoint: Args.string({description: 'checkpoint number, ref or commit (default: the newest)'})}

  static flags = {stat: Flags.boolean({description: 'list changed files only, without the patch'})}

  async run(): Promise<DiffCommandResult> {
    const {args, flags} = await this.parse(Diff)
    const {openStore, resolveCheckpoint, diffWorktree} = await import('../core/store/index.js')
    const store = await openStore(await this.repo(), {onWarning: (m) => this.note(m)})
    const cp = await resolveCheckpoint(store.ctx, args.checkpoint)
    // Hashing the work tree updates the private index, so it takes the lock like any write.
    const d = await store.withLock(() => diffWorktree(store.ctx, cp, {patch: !flags.stat}))
    if (!this.jsonEnabled()) {
      const {neutraliseLine: one} = await import('../core/text/terminal.js')
      if (d.files.length === 0) this.log(`no changes since checkpoint ${cp.seq || cp.commit.slice(0, 7)}: ${one(cp.label)}`)
      // The patch carries file contents: log() neutralises it, keeping newlines, tabs and CRLF so it stays a readable diff.
      else this.log(flags.stat ? d.stat : d.patch.trimEnd())
    }
    return {checkpoint: {seq: cp.seq, label: cp.label, commit: cp.commit}, files: d.files, ...(flags.stat ? {} : {patch: d.patch})}
  }
}
