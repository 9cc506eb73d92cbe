import {mkdirSync, mkdtempSync, rmSync, statSync} from 'node:fs'
import path from 'node:path'
import type {StoreContext} from './context.js'

/** A scratch folder inside the git dir (same file system as the index, so a rename into place is atomic). */
export async function withScratch<T>(ctx: StoreContext, fn: (dir: string) => Promise<T>): Promise<T> {
  const root = path.join(ctx.paths.gitDir, 'parecode')
  mkdirSync(root, {recursive: true})
  const dir = mkdtempSync(path.join(root, 'tmp-'))
  try {
    return await fn(dir)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

// Plumbing output that the user's diff/apply settings must not change: prefixes, renames, whitespace rules.
const DIFF = ['-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false', 'diff-tree', '-p', '--binary', '--full-index', '--no-renames', '--no-ext-diff', '--no-textconv', '-r']

/**
 * Tree `onto` with the change from tree `from` to tree `to` applied, without touching the work tree or the user's
 * index: the binary patch goes to a file (bytes never pass through a JS string) and is applied with `apply --cached
 * --3way` on a private index. When it does not apply cleanly, the paths in conflict are returned instead.
 */
export async function applyTreeDiff(ctx: StoreContext, from: string, to: string, onto: string): Promise<{tree: string} | {conflicts: string[]}> {
  if (from === to) return {tree: onto}
  if (from === onto) return {tree: to}
  return withScratch(ctx, async (dir) => {
    const patch = path.join(dir, 'change.patch')
    const env = {GIT_INDEX_FILE: path.join(dir, 'index')}
    await ctx.run([...DIFF, `--output=${patch}`, from, to])
    if (statSync(patch).size === 0) return {tree: onto}
    await ctx.run(['read-tree', onto], {env})
    const res = await ctx.run(['apply', '--cached', '--3way', '--whitespace=nowarn', patch], {env, allowFail: true})
    if (res.code === 0) return {tree: (await ctx.run(['write-tree'], {env})).stdout.trim()}
    const unmerged = await ctx.run(['ls-files', '-u', '-z'], {env, allowFail: true})
    const paths = new Set(unmerged.stdout.split('\0').filter(Boolean).map((l) => l.slice(l.indexOf('\t') + 1)))
    for (const m of res.stderr.matchAll(/^error: (?:patch failed: )?(.+?)(?::\d+)?: (?:already exists|does not exist|does not match|patch does not apply)/gm)) paths.add(m[1]!)
    for (const m of res.stderr.matchAll(/^error: patch failed: (.+?):\d+$/gm)) paths.add(m[1]!)
    return {conflicts: paths.size ? [...paths].sort() : ['(the change does not apply)']}
  })
}
