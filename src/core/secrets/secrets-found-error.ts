import {RepoStateError} from '../errors/index.js'
import {neutraliseLine} from '../text/terminal.js'
import type {ObjectFinding} from './types.js'

const SHOWN = 5

/** One finding as `<ref>: <path> line N (<rule>)`; paths and refs come from the repository or a remote, so they are neutralised. */
export const describeFinding = (f: ObjectFinding) => `${neutraliseLine(f.ref)}: ${neutraliseLine(f.path)} line ${f.line} (${f.rule})`

/** A push that would send secrets is refused (exit 3); `findings` names each one (for --json). */
export class SecretsFoundError extends RepoStateError {
  constructor(readonly remote: string, readonly findings: ObjectFinding[]) {
    const shown = findings.slice(0, SHOWN).map(describeFinding).join('; ')
    const more = findings.length > SHOWN ? ` and ${findings.length - SHOWN} more` : ''
    super(
      `refusing to push to ${neutraliseLine(remote)}: ${findings.length === 1 ? 'a secret' : `${findings.length} secrets`} in what would be sent: ${shown}${more}`,
      'drop the ref that holds it (`git update-ref -d <ref>`), or push anyway with `git pare push --allow-secrets`',
      'secrets_found',
    )
  }
}
