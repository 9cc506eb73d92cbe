import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {LogEntry} from '../core/store/index.js'
import {NUMBERING} from '../core/store/format.js'

export interface LogCommandResult {
  entries: LogEntry[]
}

export default class Log extends BaseCommand {
  static summary = 'Plans, steps, checkpoints and sessions, newest first'
  static description = `Everything git pare keeps in refs/parecode/: plans with their steps and token use, the checkpoints (what \`git pare undo\` goes back to, and the ones \`undo --force\` kept your changes in), and sessions with their turn counts. A run that stopped early or was interrupted says so on its checkpoint ("interrupted: …"). Plans and sessions pulled from a remote (\`git pare pull\`) show up here too.

${NUMBERING}

Exit codes: 0; 2 bad flags; 3 not a repository.`

  static examples = ['<%= config.bin %> log', '<%= config.bin %> log -n 5', '<%= config.bin %> log --json']

  static flags = {
    number: Flags.integer({char: 'n', description: 'show at most this many entries', min: 1}),
    kind: Flags.string({description: 'only this kind of entry', options: ['plan', 'checkpoint', 'session']}),
  }

  async run(): Promise<LogCommandResult> {
    const {flags} = await this.parse(Log)
    const {openStore} = await import('../core/store/index.js')
    const store = await openStore(await this.repo())
    let entries = await store.log()
    await (await import('../core/work/shown-state.js')).addClaims(store, entries)
    if (flags.kind) entries = entries.filter((e) => e.kind === flags.kind)
    if (flags.number) entries = entries.slice(0, flags.number)
    if (!this.jsonEnabled()) this.log(await render(entries))
    const {snakeMeta} = await import('../core/store/format.js')
    return {entries: entries.map((e) => (e.meta ? {...e, meta: snakeMeta(e.meta)} : e))}
  }
}

// Titles, step descriptions and ids come from refs anyone can push: each is one line, so a newline in a pulled
// subject cannot forge another entry (BaseCommand.log neutralises escapes in the whole output as well).
async function render(entries: LogEntry[]): Promise<string> {
  if (entries.length === 0) return 'nothing yet: plans, checkpoints and sessions appear here as git pare works'
  const {ago, metaLine, tokens} = await import('../core/store/format.js')
  const {neutraliseLine: one} = await import('../core/text/terminal.js')
  const now = new Date()
  const lines: string[] = []
  for (const e of entries) {
    const tail = [ago(e.time, now), tokens(e.tokens)].filter(Boolean).join(', ')
    if (e.kind === 'plan') {
      const done = e.steps?.filter((s) => s.status === 'done').length ?? 0
      const status = [e.active ? 'active' : '', e.status, e.steps?.length ? `${done}/${e.steps.length} steps` : ''].filter(Boolean).join(', ')
      lines.push(`plan ${one(e.id)}  ${one(e.title)}  [${one(status)}]  ${tail}`)
      for (const s of e.steps ?? []) {
        const mark = s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : '·'
        const where = s.claim ? `  [claimed by ${one(s.claim.by)} on ${one(s.claim.host)} until ${one(s.claim.until)}]` : s.ran ? `  (ran on ${one(s.ran.host)} by ${one(s.ran.by)})` : ''
        lines.push(`  ${s.claim ? '▸' : mark} ${one(String(s.n))}. ${one(s.description)}${s.tokens ? `  ${tokens(s.tokens)}` : ''}${where}`)
      }
    } else if (e.kind === 'checkpoint') {
      const m = e.meta ? one(metaLine(e.meta)) : ''
      const state = e.meta?.kind === 'kept' ? '  [kept]' : e.outcome && e.outcome !== 'done' ? `  [${one(e.outcome)}]` : ''
      lines.push(`checkpoint ${one(e.id)}  ${one(e.title)}${m ? `  (${m})` : ''}${state}  ${tail}`)
    } else {
      lines.push(`session ${one(e.id)}  ${one(e.title)}  [${e.turns} turn${e.turns === 1 ? '' : 's'}]  ${tail}`)
    }
  }
  return lines.join('\n')
}
