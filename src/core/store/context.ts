import path from 'node:path'
import {git, type GitOptions, type GitResult} from './git.js'
import type {RepoPaths} from './repo.js'

/** What every store module needs: where the repository is, how to run git, and the time. */
export interface StoreContext {
  paths: RepoPaths
  /** Refs private to this work tree live under this prefix (linked worktrees get their own stack). */
  base: string
  now(): Date
  run(args: string[], opts?: Partial<GitOptions>): Promise<GitResult>
  /** Env with a fallback identity and the clock's dates, for commit-tree. */
  commitEnv(): Promise<NodeJS.ProcessEnv>
}

const FALLBACK = {name: 'git-pare', email: 'git-pare@localhost'}

/** Build a context; the identity probe runs once, on the first commit. */
export function makeContext(paths: RepoPaths, clock?: () => Date): StoreContext {
  const now = clock ?? (() => new Date())
  const run = (args: string[], opts: Partial<GitOptions> = {}) => git(args, {cwd: paths.root, ...opts})
  let identity: Promise<NodeJS.ProcessEnv> | undefined
  const base = path.resolve(paths.gitDir) === path.resolve(paths.commonDir)
    ? 'refs/parecode'
    : `refs/parecode/worktrees/${path.basename(paths.gitDir).replace(/[^A-Za-z0-9._-]/g, '_')}`
  return {
    paths,
    base,
    now,
    run,
    async commitEnv() {
      identity ??= probeIdentity(run)
      const env = {...(await identity)}
      if (clock) {
        const d = `@${Math.floor(now().getTime() / 1000)} +0000`
        env.GIT_AUTHOR_DATE = d
        env.GIT_COMMITTER_DATE = d
      }
      return env
    },
  }
}

// Only fill what is missing: a configured identity (or one given in the environment) always wins.
async function probeIdentity(run: StoreContext['run']): Promise<NodeJS.ProcessEnv> {
  const res = await run(['config', '--get-regexp', '^user\\.(name|email)$'], {allowFail: true})
  const have = new Set(res.stdout.split('\n').map((l) => l.split(' ')[0]))
  const env: NodeJS.ProcessEnv = {}
  for (const who of ['AUTHOR', 'COMMITTER'] as const) {
    if (!have.has('user.name') && !process.env[`GIT_${who}_NAME`]) env[`GIT_${who}_NAME`] = FALLBACK.name
    if (!have.has('user.email') && !process.env[`GIT_${who}_EMAIL`]) env[`GIT_${who}_EMAIL`] = FALLBACK.email
  }
  return env
}
