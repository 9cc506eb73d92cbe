import {homedir} from 'node:os'
import path from 'node:path'

/**
 * The user's state directory for git-pare: `$XDG_STATE_HOME/parecode`, else `~/.local/state/parecode`.
 * Approvals live here: never in a repository, its git directory, or anything that is pushed.
 */
export function userStateDir(env: Record<string, string | undefined>, home?: string): string {
  const xdg = env.XDG_STATE_HOME
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'parecode')
  return path.join(home ?? env.HOME ?? homedir(), '.local', 'state', 'parecode')
}
