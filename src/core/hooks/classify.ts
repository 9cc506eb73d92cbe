import {createHash} from 'node:crypto'
import {readRepoFileSync} from '../fs/repo-file-sync.js'
import type {ProjectFiles} from './project-files.js'

// A hook is a shell command, and a command from a repository (its config, or what git-pare detected from its files) may
// run that repository's code: a package.json script, a build script, a binary committed to the tree. Such a hook runs
// only once the user approved the command together with the files that decide what it does, so a later change to
// them needs a new approval. A few fixed templates run only tools the user installed, on the repository's data,
// and need no approval while the conditions below hold.

/** The type-check hook for TypeScript projects (no repository text in it). */
export const TSC_HOOK = 'npx --no-install tsc --noEmit'

/** A hook command judged against the repository it would run in. */
export interface HookVerdict {
  command: string
  /** True: a fixed template that runs no repository code here. */
  safe: boolean
  /** Why it needs approval, in a few words (`runs package.json's lint script`). */
  why?: string
  /** What the approval covers besides the command: the text of the files that decide what it runs, shown to the user. */
  inputs?: {label: string; text: string}[]
}

const RUN_SCRIPT = /^(?:npm\s+run(?:-script)?|npm\s+run\s+-s|pnpm(?:\s+run)?|yarn(?:\s+run)?|bun\s+run)(?:\s+(?:-s|--silent))?\s+([A-Za-z0-9:_.-]+)(?:\s|$)/
const NPM_SHORT = /^(?:npm|pnpm|yarn|bun)\s+(test|start)(?:\s|$)/
const CARGO = /^cargo\s/
const MAKE = /^make(?:\s+(?:-[A-Za-z]+\s+)*([A-Za-z0-9_.-]+))?(?:\s|$)/
const PATH_BIN = /^((?:\.{0,2}\/)?[A-Za-z0-9_.@-]+(?:\/[A-Za-z0-9_.@-]+)+)(?:\s|$)/

const tracked = (f: ProjectFiles, rel: string) => f.isTracked(rel)
const digest = (buf: Buffer) => `sha256 ${createHash('sha256').update(buf).digest('hex')} (${buf.length} bytes)`

function fileInput(f: ProjectFiles, rel: string): {label: string; text: string} | undefined {
  const r = readRepoFileSync(f.root, rel, 64 << 20)
  if (r.ok) return {label: rel, text: r.content.includes(0) ? digest(r.content) : r.content.toString('utf8')}
  return r.missing ? undefined : {label: rel, text: `(not readable: ${r.reason})`}
}

function scriptsInput(f: ProjectFiles, names: string[]): {label: string; text: string} {
  const scripts = (f.json('package.json')?.scripts ?? {}) as Record<string, unknown>
  const picked = names.filter((n) => Object.hasOwn(scripts, n)).map((n) => `${n}: ${String(scripts[n])}`)
  return {label: 'package.json scripts', text: picked.length ? picked.join('\n') : '(none of these scripts is defined)'}
}

/** Conditions under which the TypeScript template runs only the user's own tools. */
function tscIsSafe(f: ProjectFiles): string | undefined {
  if (tracked(f, 'node_modules')) return 'node_modules is committed to the repository, so npx would run its tsc'
  if (tracked(f, '.npmrc')) return 'the repository commits an .npmrc, which configures npx'
  const bin = f.json('package.json')?.bin
  if (bin === 'tsc' || (bin && typeof bin === 'object' && Object.hasOwn(bin, 'tsc'))) return 'package.json declares its own tsc binary'
  return undefined
}

/** Judge one hook command that comes from the repository (its config file, or detection). */
export function classifyHook(command: string, f: ProjectFiles): HookVerdict {
  const c = command.trim()
  if (c === TSC_HOOK) {
    const why = tscIsSafe(f)
    if (!why) return {command, safe: true}
    return {command, safe: false, why, inputs: [fileInput(f, '.npmrc'), {label: 'committed under node_modules', text: [...f.tracked].filter((p) => p.startsWith('node_modules/')).slice(0, 20).join('\n') || '(nothing)'}].filter((x): x is {label: string; text: string} => Boolean(x))}
  }
  if (c === 'go build ./...') return {command, safe: true}
  for (const venv of ['', '.venv/bin/', 'venv/bin/']) {
    if (c !== `${venv}ruff check .`) continue
    if (!venv) return {command, safe: true}
    const bin = `${venv}ruff`
    if (!tracked(f, venv.split('/')[0]!)) return {command, safe: true}
    return {command, safe: false, why: `runs ${bin}, which is committed to the repository`, inputs: [fileInput(f, bin) ?? {label: bin, text: '(missing)'}]}
  }
  const script = RUN_SCRIPT.exec(c)?.[1] ?? NPM_SHORT.exec(c)?.[1]
  if (script) return {command, safe: false, why: `runs package.json's ${script} script`, inputs: [scriptsInput(f, [`pre${script}`, script, `post${script}`]), ...(tracked(f, '.npmrc') ? [fileInput(f, '.npmrc')!] : [])]}
  if (CARGO.test(c)) {
    const files = ['Cargo.toml', 'build.rs', '.cargo/config.toml', '.cargo/config', 'rust-toolchain.toml', 'rust-toolchain']
    return {command, safe: false, why: 'cargo builds run the crate\'s build scripts and macros', inputs: files.map((p) => fileInput(f, p)).filter((x): x is {label: string; text: string} => Boolean(x))}
  }
  const make = MAKE.exec(c)
  if (make) {
    const mk = f.first('GNUmakefile', 'makefile', 'Makefile')
    return {command, safe: false, why: `runs the Makefile's ${make[1] ?? 'default'} target`, inputs: mk ? [fileInput(f, mk)!] : []}
  }
  const bin = PATH_BIN.exec(c)?.[1]
  if (bin && !bin.startsWith('/')) {
    const rel = bin.replace(/^\.\//, '')
    const input = fileInput(f, rel)
    return {command, safe: false, why: `runs ${rel} from the repository`, inputs: input ? [input] : []}
  }
  return {command, safe: false, why: 'a command from the repository'}
}

/** The exact content an approval of this hook covers: the command and its inputs. */
export function hookApprovalContent(v: HookVerdict): string {
  return [v.command, ...(v.inputs ?? []).map((i) => `--- ${i.label}\n${i.text}`)].join('\n')
}

/** The approval key of a hook command. */
export const hookKey = (command: string) => `hook:${command.trim()}`
