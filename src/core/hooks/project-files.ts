import {accessSync, constants, existsSync, statSync} from 'node:fs'
import {readRepoFileSync} from '../fs/repo-file-sync.js'
import path from 'node:path'
import {git} from '../store/git.js'
import {parseTomlLite, type TomlTables} from './toml-lite.js'

/** Read-only view of a project's root files, each read at most once. */
export class ProjectFiles {
  private texts = new Map<string, string | undefined>()
  private tomls = new Map<string, TomlTables | undefined>()
  /** Files that were not read because they are not regular files inside the repository (or are too large). */
  readonly refused: string[] = []

  constructor(
    readonly root: string,
    /** Repo-relative paths of the work tree (tracked and untracked, not ignored). */
    readonly paths: string[],
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Repo-relative paths git tracks (what a clone brings). */
    readonly tracked: ReadonlySet<string> = new Set(paths),
  ) {}

  /** List the work tree with git (capped at 50,000 paths) and wrap it. */
  static async load(root: string, env?: NodeJS.ProcessEnv): Promise<ProjectFiles> {
    // -t tags each path: H for tracked, ? for untracked.
    const res = await git(['ls-files', '-z', '-t', '--cached', '--others', '--exclude-standard'], {cwd: root, allowFail: true})
    const paths = new Set<string>()
    const tracked = new Set<string>()
    if (res.code === 0) {
      for (const entry of res.stdout.split('\0')) {
        if (entry.length < 3) continue
        const p = entry.slice(2)
        if (paths.size < 50_000) paths.add(p)
        if (entry[0] !== '?') tracked.add(p)
      }
    }
    return new ProjectFiles(root, [...paths], env, tracked)
  }

  /** Whether git tracks this path, or anything under it when it is a folder. */
  isTracked(rel: string): boolean {
    if (this.tracked.has(rel)) return true
    const prefix = `${rel.replace(/\/$/, '')}/`
    for (const p of this.tracked) if (p.startsWith(prefix)) return true
    return false
  }

  exists(rel: string): boolean {
    return existsSync(path.join(this.root, rel))
  }

  /** The first of these that exists. */
  first(...rels: string[]): string | undefined {
    return rels.find((r) => this.exists(r))
  }

  /** File text (at most 256 KiB), undefined when absent, unreadable, or not a regular file inside the repository. */
  text(rel: string): string | undefined {
    if (!this.texts.has(rel)) {
      const r = readRepoFileSync(this.root, rel, 256 * 1024)
      if (!r.ok && !r.missing) this.refused.push(r.reason)
      this.texts.set(rel, r.ok ? r.content.toString('utf8') : undefined)
    }
    return this.texts.get(rel)
  }

  json(rel: string): Record<string, unknown> | undefined {
    const t = this.text(rel)
    if (t === undefined) return undefined
    try {
      const v = JSON.parse(t) as unknown
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
    } catch {
      return undefined
    }
  }

  toml(rel: string): TomlTables | undefined {
    if (!this.tomls.has(rel)) {
      const t = this.text(rel)
      this.tomls.set(rel, t === undefined ? undefined : parseTomlLite(t))
    }
    return this.tomls.get(rel)
  }

  /** An executable on PATH (or in the project's virtualenv / node_modules/.bin), as the command to write. */
  which(bin: string): string | undefined {
    for (const local of [`.venv/bin/${bin}`, `venv/bin/${bin}`, `node_modules/.bin/${bin}`]) if (isExecutable(path.join(this.root, local))) return local
    for (const dir of (this.env.PATH ?? '').split(path.delimiter)) if (dir && isExecutable(path.join(dir, bin))) return bin
    return undefined
  }
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK)
    return statSync(p).isFile()
  } catch {
    return false
  }
}
