// bubblewrap arguments, built by hand: the maintained wrapper (@anthropic-ai/sandbox-runtime) needs Node 22 in
// its current versions and git-pare supports Node 20. bwrap applies the mount operations in order, so the order
// below is the policy: everything read-only, private /tmp and /run, the home hidden, then the work tree
// writable again and its git directories read-only over it.
import path from 'node:path'

/** What one sandboxed command may see and touch. Every path absolute and realpath'd. */
export interface SandboxSpec {
  /** The work tree: the only writable place that outlives the command. */
  root: string
  /** Read-only inside the work tree or elsewhere: `.git` (file or folder), the git dir and common dir of a linked worktree. */
  readOnly: string[]
  /** The user's home (from HOME and from the password database): each replaced by an empty read-only directory, the work tree and tool directories shown again. */
  homes: string[]
  /** Directories of programs (from PATH) to keep visible read-only when they live under a hidden place. */
  toolDirs: string[]
  /** Files to blank out inside the tool directories (credentials a package manager keeps there). */
  masked: string[]
  /** Files outside the work tree to keep visible read-only although hidden (resolv.conf's target under /run). */
  extraRead: string[]
  network: boolean
  /** The complete environment of the command. */
  env: Record<string, string>
  /** The scratch HOME the command gets, created in the private /tmp. */
  scratchHome: string
  /** Existing places of HIDDEN_WRITABLE (bwrap cannot create a mount point on the read-only root). */
  hidden: string[]
}

/** Places replaced by an empty tmpfs: other programs' temp files and sockets (ssh-agent, docker, D-Bus) live there. */
export const HIDDEN_WRITABLE = ['/tmp', '/var/tmp', '/run']

/** Whether `p` is `dir` or lies below it. */
export function isUnder(p: string, dir: string): boolean {
  const rel = path.relative(dir, p)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

/** Namespace and process flags shared by the probe and every command. */
function isolation(network: boolean): string[] {
  return [
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    ...(network ? [] : ['--unshare-net']),
    // Without this a command would keep running after git pare dies, and could use TIOCSTI on our terminal.
    '--die-with-parent', '--new-session',
    // Running as root, bwrap would otherwise keep every capability (and could remount .git read-write).
    '--cap-drop', 'ALL',
  ]
}

/** The arguments the detection probe runs with (`-- true` appended). */
export function bwrapProbeArgs(): string[] {
  return ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', ...isolation(false)]
}

/** bwrap arguments that run `argv` under the spec. */
export function bwrapArgs(spec: SandboxSpec, argv: string[]): string[] {
  const a: string[] = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc']
  for (const dir of spec.hidden) a.push('--tmpfs', dir)
  a.push('--dir', spec.scratchHome)
  const rebinds = [...spec.extraRead, ...spec.toolDirs, spec.root, ...spec.readOnly]
  // A home inside the work tree stays (the work tree is writable anyway); a home that holds another is hidden with it.
  const homes = spec.homes.filter((h) => h !== '/' && !isUnder(h, spec.root) && !spec.homes.some((o) => o !== h && isUnder(h, o)))
  for (const home of homes) {
    a.push('--tmpfs', home)
    // Mount points must exist before the empty home turns read-only.
    for (const p of rebinds) if (isUnder(p, home) && p !== home) a.push('--dir', p)
    a.push('--remount-ro', home)
  }
  for (const p of spec.extraRead) a.push('--ro-bind-try', p, p)
  for (const p of spec.toolDirs) a.push('--ro-bind-try', p, p)
  for (const p of spec.masked) a.push('--ro-bind-try', '/dev/null', p)
  a.push('--bind', spec.root, spec.root)
  for (const p of spec.readOnly) a.push('--ro-bind-try', p, p)
  a.push(...isolation(spec.network), '--clearenv')
  for (const [k, v] of Object.entries(spec.env)) a.push('--setenv', k, v)
  a.push('--chdir', spec.root, '--', ...argv)
  return a
}
