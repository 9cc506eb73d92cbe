import {lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync} from 'node:fs'
import {tmpdir, userInfo} from 'node:os'
import path from 'node:path'
import {bwrapArgs, HIDDEN_WRITABLE, isUnder} from './bwrap.js'
import type {SandboxInfo} from './detect.js'
import {seatbeltArgs} from './seatbelt.js'

/** Scratch HOME inside bwrap's private /tmp. */
const SCRATCH_HOME = '/tmp/home'
/** Credential files package managers keep next to their binaries (~/.cargo/credentials.toml, …). */
const CREDENTIAL_NAMES = ['credentials', 'credentials.toml', '.credentials', '.npmrc', '.pypirc']

export interface WrapInput {
  sandbox: SandboxInfo
  /** Realpath'd work tree. */
  root: string
  /** The allowlisted environment (real HOME and PATH). */
  env: Record<string, string>
  network: boolean
  argv: string[]
}

export interface Wrapped {
  file: string
  args: string[]
  env: Record<string, string>
  /** Removes what the wrapper created outside the sandbox (the macOS scratch home). */
  cleanup(): void
}

function real(p: string): string | undefined {
  try {
    return realpathSync(p)
  } catch {
    return undefined
  }
}

/** `.git` of the work tree (folder or file) and, for a linked worktree or submodule, its git dir and common dir. */
export function gitPaths(root: string): string[] {
  const dotGit = path.join(root, '.git')
  let st
  try {
    st = lstatSync(dotGit)
  } catch {
    return []
  }
  const out = [dotGit]
  if (st.isDirectory()) return out
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(safeRead(dotGit) ?? '')
  const gitDir = m ? real(path.resolve(root, m[1]!)) : undefined
  if (!gitDir) return out
  out.push(gitDir)
  const common = safeRead(path.join(gitDir, 'commondir'))?.trim()
  const commonDir = common ? real(path.resolve(gitDir, common)) : undefined
  if (commonDir) out.push(commonDir)
  return out
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').slice(0, 4096)
  } catch {
    return undefined
  }
}

/** Program directories that must stay visible: PATH entries under a hidden place, and the prefix of a `…/bin` (nvm's npm links into ../lib). */
function toolDirs(pathEnv: string, hidden: string[]): string[] {
  const out = new Set<string>()
  for (const d of pathEnv.split(path.delimiter)) {
    const r = d && path.isAbsolute(d) ? real(d) : undefined
    if (!r || !hidden.some((h) => isUnder(r, h))) continue
    const parent = path.dirname(r)
    const prefixOk = path.basename(r) === 'bin' && !hidden.includes(parent) && path.basename(parent) !== '.local'
    out.add(prefixOk ? parent : r)
  }
  return [...out]
}

/** PATH with each entry realpath'd, so a symlinked entry in the hidden home still resolves. */
function realPath(pathEnv: string): string {
  return pathEnv
    .split(path.delimiter)
    .map((d) => real(d) ?? d)
    .join(path.delimiter)
}

/** The homes to hide: HOME as given and the account's home from the password database. */
function homesOf(env: Record<string, string>): string[] {
  let account: string | undefined
  try {
    account = userInfo().homedir
  } catch {
    account = undefined
  }
  const homes = [env.HOME, account].map((h) => (h && path.isAbsolute(h) ? real(h) : undefined)).filter((h): h is string => Boolean(h))
  return [...new Set(homes)]
}

function bwrap(input: WrapInput): Wrapped {
  const {root, env} = input
  const homes = homesOf(env)
  const hidden = HIDDEN_WRITABLE.filter((d) => d === '/tmp' || real(d) === d)
  const tools = toolDirs(env.PATH ?? '', [...hidden, ...homes])
  const masked = tools.flatMap((t) => CREDENTIAL_NAMES.map((n) => path.join(t, n))).filter((f) => real(f))
  // A resolv.conf that links into /run (systemd-resolved) would vanish with /run.
  const resolv = input.network ? real('/etc/resolv.conf') : undefined
  const inner = {...env, PATH: realPath(env.PATH ?? ''), HOME: SCRATCH_HOME, TMPDIR: '/tmp'}
  const args = bwrapArgs(
    {
      root,
      readOnly: gitPaths(root),
      homes,
      toolDirs: tools,
      masked,
      extraRead: resolv && hidden.some((h) => isUnder(resolv, h)) ? [resolv] : [],
      network: input.network,
      env: inner,
      scratchHome: SCRATCH_HOME,
      hidden,
    },
    input.argv,
  )
  return {file: input.sandbox.path!, args, env: {PATH: env.PATH ?? '/usr/bin:/bin'}, cleanup() {}}
}

function seatbelt(input: WrapInput): Wrapped {
  const {root, env} = input
  const tmp = real(tmpdir()) ?? tmpdir()
  const scratch = mkdtempSync(path.join(tmp, 'pare-home-'))
  const home = homesOf(env).find((h) => !isUnder(h, root))
  const writable = [...new Set([tmp, real('/tmp') ?? '/tmp'])]
  const tools = toolDirs(env.PATH ?? '', home ? [home] : [])
  const argv = input.argv[0] === 'bash' ? ['/bin/bash', ...input.argv.slice(1)] : input.argv
  const args = seatbeltArgs({root, readOnly: gitPaths(root), writable, home, toolDirs: tools, network: input.network}, argv)
  return {file: input.sandbox.path!, args, env: {...env, HOME: scratch, TMPDIR: tmp}, cleanup: () => rmSync(scratch, {recursive: true, force: true})}
}

/** The program, arguments and environment that run `argv` inside the sandbox. */
export function wrapCommand(input: WrapInput): Wrapped {
  if (input.sandbox.kind === 'bwrap') return bwrap(input)
  if (input.sandbox.kind === 'sandbox-exec') return seatbelt(input)
  throw new Error('no sandbox to wrap the command in')
}
