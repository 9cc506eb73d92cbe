import {execFileSync, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmodSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {gitEnv, removeDir, runCliAsync, sh, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// The user has uncommitted work of every kind when a plan starts. abort gives it back byte for byte; finish gives
// it back on top of the result, or keeps it under refs/parecode/uncommitted/<id> and says how to get it.

const PLAN = {
  task: 'shout',
  steps: ['s1', 's2'].map((x) => ({description: `Shout ${x}`, instruction: `Uppercase ${x}.txt`, files: [`${x}.txt`], verify: {type: 'file_changed', path: `${x}.txt`}, tool_budget: 3})),
}

type Msg = {role: string; content: string | null}
function policy(r: RecordedRequest): Turn {
  const msgs = r.body.messages as Msg[]
  if (String(msgs[0]?.content).startsWith('You plan code changes')) return turn.text(JSON.stringify(PLAN))
  if (msgs.some((m) => m.role === 'tool')) return turn.text('ok')
  const file = /Step \d+ of \d+: Uppercase (s\d\.txt)/.exec(msgs.map((m) => m.content ?? '').join('\n'))![1]!
  return turn.tools([{name: 'write_file', args: {path: file, content: `${file.toUpperCase()}\n`, overwrite: true}}])
}

const FILES = {'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n', 's1.txt': 's1\n', 's2.txt': 's2\n', '.gitignore': '*.log\n', 'x.sh': '#!/bin/sh\n', 'bin.dat': Buffer.from([0, 1, 0xff, 0xfe])}

/** Uncommitted work of every kind: staged and then changed again, deleted, staged deletion, new, intent-to-add, untracked (a folder, a symlink), ignored, a mode change, binary. */
function makeDirty(root: string): void {
  const git = (...args: string[]) => sh(root, args)
  writeFileSync(path.join(root, 'a.txt'), 'a staged\n')
  git('add', 'a.txt')
  writeFileSync(path.join(root, 'a.txt'), 'a staged, then changed again\n')
  unlinkSync(path.join(root, 'b.txt'))
  git('rm', '-q', '--cached', 'c.txt')
  writeFileSync(path.join(root, 'n.txt'), 'new and staged\n')
  git('add', 'n.txt')
  writeFileSync(path.join(root, 'ita.txt'), 'intent to add\n')
  git('add', '-N', 'ita.txt')
  writeFileSync(path.join(root, 'u.txt'), 'untracked\n')
  mkdirSync(path.join(root, 'notes/deep'), {recursive: true})
  writeFileSync(path.join(root, 'notes/deep/todo.md'), '- [ ] everything\n')
  symlinkSync('a.txt', path.join(root, 'link-to-a'))
  writeFileSync(path.join(root, 'debug.log'), 'ignored\n')
  chmodSync(path.join(root, 'x.sh'), 0o755)
  writeFileSync(path.join(root, 'bin.dat'), Buffer.from([0, 2, 0xff, 0xfd, 0x80]))
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex').slice(0, 16)

function files(root: string, rel = ''): string[] {
  const out: string[] = []
  for (const e of readdirSync(path.join(root, rel), {withFileTypes: true})) {
    const p = rel ? `${rel}/${e.name}` : e.name
    if (p === '.git') continue
    const abs = path.join(root, p)
    const st = lstatSync(abs)
    if (st.isSymbolicLink()) out.push(`link ${p} -> ${readlinkSync(abs)}`)
    else if (st.isDirectory()) out.push(...files(root, p))
    else out.push(`file ${p} ${(st.mode & 0o777).toString(8)} ${sha(readFileSync(abs))}`)
  }
  return out.sort()
}

/**
 * Everything the user would see of their uncommitted state. Commands that may refresh an index (`git diff` does,
 * even with --no-optional-locks) read a copy, so looking never changes what is looked at.
 */
function state(root: string): Record<string, string | string[]> {
  const dir = tempDir('pare-idx-')
  try {
    const copy = path.join(dir, 'index')
    copyFileSync(path.join(root, '.git/index'), copy)
    const git = (...args: string[]) => execFileSync('git', args, {cwd: root, env: {...process.env, ...gitEnv, GIT_INDEX_FILE: copy}, maxBuffer: 1 << 26})
    return {
      files: files(root),
      status: git('status', '--porcelain=v2', '--untracked-files=all', '--branch').toString('utf8').split('\n').filter((l) => !l.startsWith('# branch.oid')),
      ls_files: git('ls-files', '-s').toString('utf8'),
      flags: git('ls-files', '-v').toString('utf8'),
      cached: sha(git('diff', '--cached', '--binary')),
      unstaged: sha(git('diff', '--binary')),
      head: sh(root, ['symbolic-ref', 'HEAD']),
    }
  } finally {
    removeDir(dir)
  }
}

const indexBytes = (root: string) => sha(readFileSync(path.join(root, '.git/index')))

async function setup() {
  const root = scopedRepo(FILES)
  const server = await scopedServer(policy)
  // One user across the calls: `plan --yes` approves the steps for them, locally.
  const home = tempDir('pare-home-')
  onTestFinished(() => removeDir(home))
  const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'm', PARECODE_API_KEY: 'k'}
  const pare = (...args: string[]) => runCliAsync(args, {cwd: root, env, timeoutMs: CALL_MS})
  return {root, pare}
}

const uncommittedRefs = (root: string) => sh(root, ['for-each-ref', '--format=%(refname)', 'refs/parecode/uncommitted/'])
const fsckClean = (root: string) => expect(sh(root, ['fsck', '--strict', '--no-dangling'])).toBe('')

// Many CLI calls each: generous on a busy machine (no timing is asserted).
const SLOW = 600_000
const CALL_MS = 300_000

describe('git pare abort gives back the uncommitted state the plan started from', () => {
  it('byte for byte: files, modes, links, staged and unstaged changes, untracked files and the index file itself', async () => {
    const {root, pare} = await setup()
    makeDirty(root)
    const before = state(root)
    expect((await pare('plan', 'shout', '--yes', '--no-hooks')).code).toBe(0)
    const index = indexBytes(root)
    const step = await pare('step', '--no-hooks')
    expect(step.code, step.stderr).toBe(0)
    expect(step.stderr).toMatch(/your uncommitted changes are recorded \(refs\/parecode\/uncommitted\/[\w-]+\)/)
    // Something left uncommitted on the plan's branch is kept there, not thrown away.
    writeFileSync(path.join(root, 'scratch.txt'), 'made on the plan branch\n')
    const res = await pare('abort')
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toMatch(/back on main/)
    expect(res.stdout).toMatch(/your uncommitted changes are back exactly as they were before the plan \(3 staged, 5 modified, 4 untracked\)/)
    expect(res.stdout).toMatch(/changes left on pare\/[\w-]+ were committed there/)
    expect(state(root)).toEqual(before)
    expect(indexBytes(root)).toBe(index)
    expect(uncommittedRefs(root)).toBe('')
    const branch = sh(root, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/pare/'])
    expect(sh(root, ['show', '--format=', '--name-only', branch])).toBe('scratch.txt')
    fsckClean(root)
  }, SLOW)

  it('off the plan\'s branch nothing is switched; it says where the changes wait and git stash apply brings them back', async () => {
    const {root, pare} = await setup()
    makeDirty(root)
    const before = state(root)
    expect((await pare('plan', 'shout', '--yes', '--no-hooks')).code).toBe(0)
    expect((await pare('step', '--no-hooks')).code).toBe(0)
    sh(root, ['switch', '-q', 'main'])
    const res = await pare('abort')
    expect(res.code, res.stderr).toBe(0)
    const ref = uncommittedRefs(root)
    expect(ref).toMatch(/^refs\/parecode\/uncommitted\//)
    expect(res.stderr).toContain(`kept at ${ref}: bring them back with \`git stash apply ${ref}\``)
    expect(sh(root, ['status', '--porcelain'])).toBe('')
    sh(root, ['stash', 'apply', '--index', ref])
    // git stash has no intent-to-add: that file comes back untracked; everything else is as it was.
    const back = state(root)
    expect(back.files).toEqual(before.files)
    expect(back.cached).toBe(before.cached)
    expect((back.status as string[]).filter((l) => !l.includes('ita.txt'))).toEqual((before.status as string[]).filter((l) => !l.includes('ita.txt')))
  }, SLOW)
})

describe('git pare finish gives the uncommitted state back on top of the result', () => {
  it('squash: the commit holds only the plan\'s change; staged, unstaged and untracked work is back as it was', async () => {
    const {root, pare} = await setup()
    makeDirty(root)
    const before = state(root)
    expect((await pare('plan', 'shout', '--yes', '--no-hooks')).code).toBe(0)
    expect((await pare('step', '--all', '--no-hooks')).code).toBe(0)
    const res = await pare('finish', '--json')
    expect(res.code, res.stderr).toBe(0)
    const json = JSON.parse(res.stdout)
    expect(json.status).toBe(0)
    expect(json.result.uncommitted).toEqual({status: 'reapplied', staged: 3, unstaged: 5, untracked: 4})
    expect(sh(root, ['show', '--format=%s', '--name-only', 'main'])).toBe('shout\n\ns1.txt\ns2.txt')
    const after = state(root)
    const mine = (l: string) => !/s[12]\.txt/.test(l)
    expect((after.files as string[]).filter(mine)).toEqual((before.files as string[]).filter(mine))
    expect(readFileSync(path.join(root, 's1.txt'), 'utf8')).toBe('S1.TXT\n')
    expect(after.status).toEqual(before.status)
    expect(after.cached).toBe(before.cached)
    expect(after.unstaged).toBe(before.unstaged)
    expect(after.flags).toEqual(before.flags)
    expect(uncommittedRefs(root)).toBe('')
    fsckClean(root)
  }, SLOW)

  it('when the changes do not apply on the new result they are kept, named, and it exits 5; git stash apply brings them back', async () => {
    const {root, pare} = await setup()
    makeDirty(root)
    expect((await pare('plan', 'shout', '--yes', '--no-hooks')).code).toBe(0)
    expect((await pare('step', '--all', '--no-hooks')).code).toBe(0)
    // Meanwhile main gets a commit that changes a.txt, which the user had changed too.
    const blob = sh(root, ['hash-object', '-w', '--stdin'], 'a from someone else\n')
    const tree = sh(root, ['mktree'], sh(root, ['ls-tree', 'main']).split('\n').map((l) => (l.endsWith('\ta.txt') ? `100644 blob ${blob}\ta.txt` : l)).join('\n') + '\n')
    sh(root, ['update-ref', 'refs/heads/main', sh(root, ['commit-tree', tree, '-p', 'main', '-m', 'meanwhile'])])
    const res = await pare('finish', '--merge', '--json')
    expect(res.code, res.stderr).toBe(5)
    const json = JSON.parse(res.stdout)
    expect(json.status).toBe(5)
    const ref = uncommittedRefs(root)
    expect(json.result.uncommitted).toMatchObject({status: 'kept', ref, conflicts: ['a.txt'], restore_command: `git stash apply ${ref}`})
    expect(json.warnings.join('\n')).toContain(`they are kept at ${ref}`)
    // The merge happened, without the user's work; the work tree is the clean result.
    expect(sh(root, ['log', '--format=%s', 'main'])).toMatch(/^shout\n(meanwhile\nstep 2: Shout s2\nstep 1: Shout s1|step 2: Shout s2\nstep 1: Shout s1\nmeanwhile)\ninitial$/)
    expect(sh(root, ['status', '--porcelain'])).toBe('')
    // The hint works: git merges the kept changes in and marks the one conflict.
    const apply = spawnSync('git', ['stash', 'apply', ref], {cwd: root, env: {...process.env, ...gitEnv}, encoding: 'utf8'})
    expect(apply.stdout + apply.stderr).toMatch(/CONFLICT \(content\): Merge conflict in a\.txt/)
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toMatch(/<<<<<<<[^]*a from someone else[^]*a staged, then changed again[^]*>>>>>>>/)
    expect(readFileSync(path.join(root, 'notes/deep/todo.md'), 'utf8')).toBe('- [ ] everything\n')
  }, SLOW)

  it('refuses when the plan built on the uncommitted changes; --include-uncommitted commits them with it', async () => {
    const {root, pare} = await setup()
    writeFileSync(path.join(root, 's1.txt'), 's1, my unfinished edit\n')
    writeFileSync(path.join(root, 'mine.txt'), 'mine\n')
    expect((await pare('plan', 'shout', '--yes', '--no-hooks')).code).toBe(0)
    expect((await pare('step', '--all', '--no-hooks')).code).toBe(0)
    const mainBefore = sh(root, ['rev-parse', 'main'])
    const res = await pare('finish')
    expect(res.code).toBe(3)
    expect(res.stderr).toMatch(/^error: the plan's changes build on your uncommitted changes .*\(conflict in s1\.txt\); nothing was changed$/m)
    expect(res.stderr).toMatch(/^hint: .*--include-uncommitted/m)
    expect(sh(root, ['rev-parse', 'main'])).toBe(mainBefore)
    expect(sh(root, ['symbolic-ref', '--short', 'HEAD'])).toMatch(/^pare\//)
    const inc = await pare('finish', '--include-uncommitted')
    expect(inc.code, inc.stderr).toBe(0)
    expect(inc.stdout).toMatch(/part of that commit/)
    expect(sh(root, ['show', '--format=', '--name-only', 'main'])).toBe('mine.txt\ns1.txt\ns2.txt')
    expect(sh(root, ['status', '--porcelain'])).toBe('')
    expect(uncommittedRefs(root)).toBe('')
  }, SLOW)
})
