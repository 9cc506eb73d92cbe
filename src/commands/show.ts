import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'

export interface ShowCommandResult {
  seq: number
  ref: string
  commit: string
  label: string
  time: string
  meta: Record<string, string>
  /** What changed from the checkpoint below it (or from the commit it was taken on) to this one. */
  files: {status: string; path: string}[]
  patch?: string
}

export default class Show extends BaseCommand {
  static summary = 'Show a checkpoint: its label, metadata and what it changed'
  static description = `A checkpoint is named by its number from \`git pare log\` (e.g. 3), its ref, or a commit. The change shown is from the checkpoint below it on the stack to this one (for the first, from the commit it was taken on).`

  static examples = ['<%= config.bin %> show 3', '<%= config.bin %> show 3 --stat', '<%= config.bin %> show refs/parecode/checkpoints/00000003 --json']

  static args = {checkpoint: Args.string({description: 'checkpoint number, ref or commit', required: true})}

  static flags = {stat: Flags.boolean({description: 'list changed files only, without the patch'})}

  async run(): Promise<ShowCommandResult> {
    const {args, flags} = await this.parse(Show)
    const {openStore, resolveCheckpoint, previousOf, diffTrees} = await import('../core/store/index.js')
    const store = await openStore(await this.repo())
    const cp = await resolveCheckpoint(store.ctx, args.checkpoint)
    const prev = await previousOf(store.ctx, cp)
    const d = await diffTrees(store.ctx, prev, cp.tree, {patch: !flags.stat})
    const result: ShowCommandResult = {seq: cp.seq, ref: cp.ref, commit: cp.commit, label: cp.label, time: cp.time.toISOString(), meta: cp.meta, files: d.files, ...(flags.stat ? {} : {patch: d.patch})}
    if (!this.jsonEnabled()) {
      const {ago, metaLine} = await import('../core/store/format.js')
      // The label and metadata are commit text (pulled checkpoints too): one line each; the patch is neutralised by log().
      const {neutraliseLine: one} = await import('../core/text/terminal.js')
      const m = one(metaLine(cp.meta))
      const head = [`checkpoint ${cp.seq || cp.commit.slice(0, 7)}: ${one(cp.label)}`, `${cp.commit}  ${ago(cp.time)}${m ? `  ${m}` : ''}`]
      for (const [k, v] of Object.entries(cp.meta)) if (!['plan', 'step', 'session', 'seq'].includes(k)) head.push(`${one(k)}: ${one(v)}`)
      this.log([...head, '', d.stat || 'no changes', ...(flags.stat || !d.patch ? [] : ['', d.patch.trimEnd()])].join('\n'))
    }
    return result
  }
}
