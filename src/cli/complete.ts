import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {complete, type ManifestCommand, type ValueKind} from '../core/completion/engine.js'

/**
 * `git pare __complete -- <words…>`: the candidates for the last word, one per line. Loaded by bin/run.js before
 * @oclif/core, so that a Tab costs little more than starting node. Reads refs only; a failure completes nothing.
 */
export function runComplete(argv: readonly string[], manifestUrl: URL): void {
  const words = argv[0] === '--' ? argv.slice(1) : [...argv]
  let commands: Record<string, ManifestCommand> = {}
  try {
    commands = (JSON.parse(readFileSync(manifestUrl, 'utf8')) as {commands: Record<string, ManifestCommand>}).commands
  } catch {
    return
  }
  const out = complete(commands, words.length ? words : [''], refValues)
  if (out.length) process.stdout.write(out.join('\n') + '\n')
}

const REFS: Record<Exclude<ValueKind, 'remotes'>, string> = {
  plans: 'refs/parecode/plans/',
  checkpoints: 'refs/parecode/checkpoints/',
  sessions: 'refs/parecode/sessions/',
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000, env: {...process.env, GIT_OPTIONAL_LOCKS: '0'}})
  } catch {
    return ''
  }
}

function refValues(kind: ValueKind): string[] {
  if (kind === 'remotes') return git(['remote']).split('\n').filter(Boolean)
  const prefix = REFS[kind]
  const names = git(['for-each-ref', '--sort=-creatordate', '--format=%(refname)', prefix])
    .split('\n')
    .filter((r) => r.startsWith(prefix))
    .map((r) => r.slice(prefix.length))
    .filter((n) => /^[\w.-]+$/.test(n))
  return kind === 'checkpoints' ? names.sort((a, b) => Number(b) - Number(a)) : names
}
