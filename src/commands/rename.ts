import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {RenameResult} from '../core/rename/rename.js'

export default class Rename extends BaseCommand {
  static summary = 'Rename a symbol through the symbol index, or replace a word, with no model call'
  static description = `Mechanical mode: no model is configured, asked or paid for. With --kind symbol (the default) the symbol index finds the definition of OLD (a function, class, type, method as Class.method, …), and every file of its language that names it changes: identifiers only, read from the syntax tree, so strings and comments stay as they are (files of languages without a grammar are matched as whole words, and say so). A name defined in several files is refused, naming them: pick one with --in <file>, and then only files that import from it change. A NEW name already defined is refused.

With --kind text, every whole-word occurrence of OLD in tracked text files is replaced literally.

The work tree is checkpointed first, like a run: \`git pare show N\` shows the change and \`git pare undo\` takes it back. --dry-run lists what would change and changes nothing.

Exit codes: 0 renamed (or nothing to rename); 2 usage (no such symbol, several definitions, NEW taken, a bad name); 3 repository state (merge in progress, lock held).`

  static examples = ['<%= config.bin %> rename getUser fetchUser', '<%= config.bin %> rename Session.refresh renew --dry-run', '<%= config.bin %> rename parse parseArgs --in src/cli.ts', '<%= config.bin %> rename "Acme Inc" "Acme Ltd" --kind text']
  static args = {
    old: Args.string({description: 'the name to rename (Class.method for a member)', required: true}),
    new: Args.string({description: 'the new name', required: true}),
  }

  static flags = {
    kind: Flags.string({description: 'symbol: through the symbol index; text: a literal whole-word replace', options: ['symbol', 'text'], default: 'symbol'}),
    in: Flags.string({description: 'the file whose definition is meant, when several define the name'}),
    'dry-run': Flags.boolean({description: 'show what would change; change nothing'}),
  }

  async run(): Promise<RenameResult> {
    const {args, flags} = await this.parse(Rename)
    const [{openStore}, {renameInRepo}] = await Promise.all([import('../core/store/index.js'), import('../core/rename/rename.js')])
    const store = await openStore(await this.repo(), {onWarning: (m) => this.note(m)})
    const res = await renameInRepo(store, {old: args.old, new: args.new, kind: flags.kind as 'symbol' | 'text', inFile: flags.in, dryRun: flags['dry-run']})
    for (const w of res.warnings) this.note(w)
    if (!this.jsonEnabled()) {
      const files = res.files.length
      const lines: string[] = []
      const what = `${res.total} occurrence${res.total === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`
      if (!files) lines.push(`nothing to rename: no ${res.kind === 'text' ? 'whole-word' : 'code'} occurrence of ${res.old}`)
      else lines.push(`${res.dry_run ? 'would rename' : 'renamed'} ${res.old} -> ${res.new}: ${what}`)
      const width = Math.max(0, ...res.files.map((f) => f.path.length))
      for (const f of res.files) lines.push(`  ${f.path.padEnd(width)}  ${f.count}${f.exact ? '' : ' (whole words, strings and comments included)'}`)
      for (const s of res.skipped) lines.push(`  skipped ${s.path}: ${s.reason}`)
      if (res.checkpoint) lines.push(`checkpoint ${res.checkpoint.seq} (git pare show ${res.checkpoint.seq}; undo: git pare undo)`)
      this.log(lines.join('\n'))
    }
    return res
  }
}
