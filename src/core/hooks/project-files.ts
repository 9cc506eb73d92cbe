import {accessSync, constants, existsSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {git} from '../store/git.js'
import {parseTomlLite, type TomlTables} from './toml-lite.js'

/** Read-only view of a project's root files, each read at most once. */
export class ProjectFiles {
  private texts = new Map<string, string | undefined>()
  private tomls = new Map<string, TomlTables | undefined>()

  constructor(
    readonly root: string,
    /** Repo-relative paths of the work tree (tracked and untracked, not ignored). */
    readonly paths: string[],
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** List the work tree with git (capped at 50,000 paths) and wrap it. */
  static async load(root: string, env?: NodeJS.ProcessEnv): Promise<ProjectFiles> {
    const res = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {cwd: root, allowFail: true})
    const paths = res.code === 0 ? [...new Set(res.stdout.split('\0').filter(Boolean))].slice(0, 50_000) : []
    return new ProjectFiles(root, paths, env)
  }

  exists(rel: string): boolean {
    return existsSync(path.join(this.root, rel))
  }

  /** The first of these that exists. */
  first(...rels: string[]): string | undefined {
    return rels.find((r) => this.exists(r))
  }

  /** File text (at most 256 KiB), undefined when absent or unreadable. */
  text(rel: string): string | undefined {
    if (!this.texts.has(rel)) {
      let t: string | undefined
      try {
        const p = path.join(this.root, rel)
        if (statSync(p).size <= 256 * 1024) t = readFileSync(p, 'utf8')
      } catch {
        t = undefined
      }
      this.texts.set(rel, t)
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
