import path from 'node:path'
import {NotARepoError, RepoStateError} from '../errors/index.js'
import {git} from './git.js'

/** Where a repository lives. `commonDir` holds refs and objects (shared by linked worktrees). */
export interface RepoPaths {
  root: string
  gitDir: string
  commonDir: string
}

/** Locate the repository containing `cwd` (git sets no GIT_PREFIX for external commands). */
export async function findRepo(cwd: string): Promise<RepoPaths> {
  const res = await git(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir'], {cwd, allowFail: true})
  if (res.code !== 0) {
    const bare = await git(['rev-parse', '--is-bare-repository'], {cwd, allowFail: true})
    if (bare.code === 0 && bare.stdout.trim() === 'true') {
      throw new RepoStateError('this is a bare repository: git pare needs a work tree', 'run it inside a clone with a work tree', 'bare_repo')
    }
    throw new NotARepoError(cwd)
  }
  const [root, gitDir, common] = res.stdout.trim().split('\n')
  if (!root || !gitDir || !common) throw new NotARepoError(cwd)
  return {root, gitDir, commonDir: path.resolve(cwd, common)}
}
