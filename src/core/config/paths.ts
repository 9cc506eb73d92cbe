import path from 'node:path'

/** Where the user config lives: `$XDG_CONFIG_HOME/parecode/config.yaml`, else `~/.config/parecode/config.yaml`. */
export function userConfigPath(env: Record<string, string | undefined>, home: string): string {
  const xdg = env.XDG_CONFIG_HOME
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config')
  return path.join(base, 'parecode', 'config.yaml')
}

/** Where a repository's config lives. */
export function repoConfigPath(repoRoot: string): string {
  return path.join(repoRoot, '.parecode', 'config.yaml')
}

/** A path as shown to the user: `~/...` under the home directory. */
export function tildify(p: string, home: string): string {
  if (home && (p === home || p.startsWith(home.endsWith(path.sep) ? home : home + path.sep))) return '~' + p.slice(home.replace(/[/\\]$/, '').length)
  return p
}
