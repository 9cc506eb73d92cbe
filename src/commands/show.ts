import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {NUMBERING} from '../core/store/format.js'

export interface ShowCommandResult {
  seq: number
  ref: string
  commit: string
  label: string
  time: string
  meta: Record<string, string>
  /** How the run after it ended (`done`, `stopped: …`, `interrupted: …`), when it recorded that. */
  outcome: string | null
  /**
   * What the change is measured against: `after` (the tree the run left), `next` (the next checkpoint: no end was
   * recorded), `worktree` (the newest, without a recorded end), `kept` (your changes it kept, from what git pare had
   * left), `parent` (any other commit).
   */
  compared_with: 'after' | 'next' | 'worktree' | 'kept' | 'parent'
  /** What run N changed: from checkpoint N to the state that run left. */
  files: {status: string; path: string}[]
  patch?: string
}

export default class Show extends BaseCommand {
  static summary = 'Show a checkpoint: its label, metadata and what its run changed'
  static description = `${NUMBERING}

A checkpoint is named by its number from \`git pare log\` (e.g. 3), its ref, or a commit. The change shown is what run N did: from checkpoint N to the tree that run left when it ended (for a plan step, or a run that recorded no end: to the next checkpoint, or the work tree for the newest). A kept checkpoint (\`undo --force\`) shows the changes of yours it kept.

Exit codes: 0; 2 no such checkpoint; 3 not a repository.`

  static examples = ['<%= config.bin %> show 3', '<%= config.bin %> show 3 --stat', '<%= config.bin %> show refs/parecode/checkpoints/00000003 --json']

  static args = {checkpoint: Args.string({description: 'checkpoint number, ref or commit', required: true})}

  static flags = {stat: Flags.boolean({description: 'list changed files only, without the patch'})}

  async run(): Promise<ShowCommandResult> {
    const {args, flags} = await this.parse(Show)
    const {openStore, resolveCheckpoint, changeOf, diffTrees} = await import('../core/store/index.js')
    const store = await openStore(await this.repo(), {onWarning: (m) => this.note(m)})
    const cp = await resolveCheckpoint(store.ctx, args.checkpoint)
    // Hashing the work tree (for the newest checkpoint without a recorded end) updates the private index: take the lock.
    const change = await store.withLock(() => changeOf(store.ctx, cp))
    const d = await diffTrees(store.ctx, change.from, change.to, {patch: !flags.stat})
    const {ago, metaLine, snakeMeta} = await import('../core/store/format.js')
    const outcome = cp.after?.outcome ?? null
    const result: ShowCommandResult = {seq: cp.seq, ref: cp.ref, commit: cp.commit, label: cp.label, time: cp.time.toISOString(), meta: snakeMeta(cp.meta), outcome, compared_with: change.compared, files: d.files, ...(flags.stat ? {} : {patch: d.patch})}
    if (!this.jsonEnabled()) {
      // The label and metadata are commit text (pulled checkpoints too): one line each; the patch is neutralised by log().
      const {neutraliseLine: one} = await import('../core/text/terminal.js')
      const m = one(metaLine(cp.meta))
      const head = [`checkpoint ${cp.seq || cp.commit.slice(0, 7)}: ${one(cp.label)}`, `${cp.commit}  ${ago(cp.time)}${m ? `  ${m}` : ''}`]
      for (const [k, v] of Object.entries(cp.meta)) if (!['plan', 'step', 'session', 'seq'].includes(k)) head.push(`${one(k)}: ${one(v)}`)
      if (outcome && outcome !== 'done') head.push(`ended: ${one(outcome)}`)
      const against = {after: '', next: ' (no end recorded: up to the next checkpoint)', worktree: ' (no end recorded: up to the work tree now)', kept: ' (your changes it kept)', parent: ''}[change.compared]
      const stat = d.stat ? `${d.stat}${against ? `\n${against.trim()}` : ''}` : `no changes${against}`
      this.log([...head, '', stat, ...(flags.stat || !d.patch ? [] : ['', d.patch.trimEnd()])].join('\n'))
    }
    return result
  }
}
