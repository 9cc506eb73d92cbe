import {execFileSync} from 'node:child_process'
import path from 'node:path'
import {onTestFinished} from 'vitest'
import {gitEnv, removeDir, sh, tempDir} from './repo.js'

/** A bare remote the repository `first` pushes to, and a teammate's clone of it; removed with the test. */
export function teamRemote(first: string): {bare: string; teammate: string} {
  const root = tempDir('pare-remote-')
  onTestFinished(() => removeDir(root))
  const bare = path.join(root, 'remote.git')
  sh(root, ['init', '-q', '--bare', '-b', 'main', bare])
  sh(first, ['remote', 'add', 'origin', bare])
  sh(first, ['push', '-q', 'origin', 'main'])
  const teammate = path.join(root, 'teammate')
  sh(root, ['clone', '-q', bare, teammate])
  return {bare, teammate}
}

/**
 * What someone with push access can do with plain git: write a commit holding `files` (blobs at the top of its
 * tree) on `ref`, on top of `parent` when given, dated `date` when given, and push it to origin.
 */
export function pushRawRef(repo: string, ref: string, files: Record<string, string>, opts: {message?: string; parent?: string; date?: string} = {}): string {
  const env = {...process.env, ...gitEnv, ...(opts.date ? {GIT_COMMITTER_DATE: opts.date, GIT_AUTHOR_DATE: opts.date} : {})}
  const git = (args: string[], input?: string) => execFileSync('git', args, {cwd: repo, env, input, encoding: 'utf8', maxBuffer: 1 << 28}).trim()
  const entries = Object.entries(files).map(([name, content]) => `100644 blob ${git(['hash-object', '-w', '--stdin'], content)}\t${name}\n`)
  const tree = git(['mktree'], entries.join(''))
  const commit = git(['commit-tree', tree, ...(opts.parent ? ['-p', opts.parent] : []), '-F', '-'], opts.message ?? 'data\n')
  git(['update-ref', ref, commit])
  git(['push', '-q', 'origin', `${ref}:${ref}`])
  return commit
}
