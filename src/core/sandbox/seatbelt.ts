// macOS Seatbelt (sandbox-exec) profile: the same policy as bwrap.ts in SBPL. Paths arrive as -D parameters,
// never pasted into the profile text, so no path can break out of its string. Every rule is written so that
// its meaning does not depend on rule order. Not exercised by CI (Linux); keep it small.

/** What the macOS profile needs; paths absolute and realpath'd (/private/tmp, not /tmp). */
export interface SeatbeltSpec {
  root: string
  /** `.git` and git dirs: never writable. */
  readOnly: string[]
  /** Writable besides the work tree: the temp directories. */
  writable: string[]
  home?: string
  /** Readable inside the home (tool directories, the work tree's ancestors are only stat'ed). */
  toolDirs: string[]
  network: boolean
}

/** sandbox-exec arguments: `-p profile -D ...` followed by argv. */
export function seatbeltArgs(spec: SeatbeltSpec, argv: string[]): string[] {
  const params: string[] = []
  const param = (name: string, value: string): string => {
    params.push('-D', `${name}=${value}`)
    return `(param "${name}")`
  }
  const root = param('ROOT', spec.root)
  const writable = [`(subpath ${root})`, ...spec.writable.map((w, i) => `(subpath ${param(`W${i}`, w)})`)]
  const readOnly = spec.readOnly.map((r, i) => `(subpath ${param(`RO${i}`, r)})`)
  const homeHidden = spec.home
    ? `(require-all (subpath ${param('HOME', spec.home)}) (require-not (subpath ${root}))${spec.toolDirs.map((t, i) => ` (require-not (subpath ${param(`T${i}`, t)}))`).join('')})`
    : undefined
  const profile = [
    '(version 1)',
    '(deny default)',
    '(allow process-exec process-fork signal sysctl-read mach-lookup ipc-posix-shm pseudo-tty file-ioctl)',
    // Directory traversal and stat everywhere; contents only outside the hidden home.
    '(allow file-read-metadata)',
    homeHidden ? `(allow file-read* (require-not ${homeHidden}))` : '(allow file-read*)',
    `(allow file-write* (require-all (require-any ${writable.join(' ')} (literal "/dev/null") (literal "/dev/tty"))${readOnly.length ? ` (require-not (require-any ${readOnly.join(' ')}))` : ''}))`,
    ...(spec.network ? ['(allow network*)'] : []),
  ].join('\n')
  // sandbox-exec takes no '--'; argv[0] is an absolute path, never an option.
  return ['-p', profile, ...params, ...argv]
}
