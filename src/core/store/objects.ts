import {spawn} from 'node:child_process'
import type {StoreContext} from './context.js'

export const ZERO = '0000000000000000000000000000000000000000'

/** One entry of a tree built with mktree. */
export interface TreeEntry {
  mode: '100644' | '100755' | '120000' | '040000' | '160000'
  type: 'blob' | 'tree' | 'commit'
  oid: string
  name: string
}

/** Write a blob (hash-object -w --stdin). */
export async function writeBlob(ctx: StoreContext, content: string | Buffer): Promise<string> {
  return (await ctx.run(['hash-object', '-w', '--stdin'], {input: content})).stdout.trim()
}

/** Write a tree from entries (names must not contain '/'). */
export async function writeTree(ctx: StoreContext, entries: TreeEntry[]): Promise<string> {
  const input = entries.map((e) => `${e.mode} ${e.type} ${e.oid}\t${e.name}\0`).join('')
  return (await ctx.run(['mktree', '-z'], {input})).stdout.trim()
}

/** Write a commit; the identity falls back to git-pare <git-pare@localhost> when none is configured. */
export async function writeCommit(ctx: StoreContext, tree: string, parents: string[], message: string): Promise<string> {
  const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])]
  return (await ctx.run(args, {input: message, env: await ctx.commitEnv()})).stdout.trim()
}

/** Resolve a revision to an object id, or null when it does not exist. */
export async function revParse(ctx: StoreContext, rev: string): Promise<string | null> {
  const res = await ctx.run(['rev-parse', '-q', '--verify', '--end-of-options', rev], {allowFail: true})
  return res.code === 0 ? res.stdout.trim() : null
}

export interface BatchObject {
  oid: string
  type: string
  content: Buffer
}

/** Read many objects in one process (cat-file --batch); missing ones map to null. */
export function readObjects(ctx: StoreContext, specs: string[]): Promise<(BatchObject | null)[]> {
  if (specs.length === 0) return Promise.resolve([])
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {cwd: ctx.paths.root, env: {...process.env, LC_ALL: 'C'}})
    const chunks: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => chunks.push(d))
    child.stderr.resume()
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file --batch failed (${code})`))
      const buf = Buffer.concat(chunks)
      const out: (BatchObject | null)[] = []
      let pos = 0
      for (let i = 0; i < specs.length; i++) {
        const nl = buf.indexOf(10, pos)
        const header = buf.subarray(pos, nl).toString('utf8')
        pos = nl + 1
        const m = /^([0-9a-f]{40,64}) (\S+) (\d+)$/.exec(header)
        if (!m) {
          out.push(null)
          continue
        }
        const size = Number(m[3])
        out.push({oid: m[1]!, type: m[2]!, content: buf.subarray(pos, pos + size)})
        pos += size + 1
      }
      resolve(out)
    })
    // A newline in a spec would desynchronise the protocol; such a spec cannot name an object anyway.
    child.stdin.end(specs.map((s) => s.replace(/\n/g, ' ')).join('\n') + '\n')
  })
}

/** Read one blob as text, or null. */
export async function readText(ctx: StoreContext, spec: string): Promise<string | null> {
  const [obj] = await readObjects(ctx, [spec])
  return obj && obj.type === 'blob' ? obj.content.toString('utf8') : null
}

/** Commit message trailers (`Key: value` lines of the last paragraph). */
export function parseTrailers(message: string): Record<string, string> {
  const paras = message.trimEnd().split(/\n\s*\n/)
  const last = paras.length > 1 ? paras[paras.length - 1]! : ''
  const out: Record<string, string> = {}
  for (const line of last.split('\n')) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*): ?(.*)$/.exec(line)
    if (m) out[m[1]!] = m[2]!
  }
  return out
}

/** A commit message: subject, optional body, then trailers. Values are kept on one line. */
export function formatMessage(subject: string, trailers: Record<string, string | number | undefined>, body?: string): string {
  const lines = Object.entries(trailers)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${String(v).replace(/\s*\n\s*/g, ' ')}`)
  const head = subject.replace(/\s*\n\s*/g, ' ').trim() || 'git-pare'
  return [head, body?.trim(), lines.join('\n')].filter(Boolean).join('\n\n') + '\n'
}

/** `planId` <-> `Pare-Plan-Id`: metadata round-trips through trailers. */
export function metaKeyToTrailer(key: string): string {
  return 'Pare-' + key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').split(/[-_\s]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('-')
}

export function trailerToMetaKey(trailer: string): string {
  const words = trailer.replace(/^Pare-/, '').split('-')
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('')
}

/** Parsed commit header fields we use. */
export interface CommitInfo {
  oid: string
  tree: string
  parents: string[]
  time: Date
  message: string
}

export function parseCommit(oid: string, raw: Buffer): CommitInfo {
  const text = raw.toString('utf8')
  const split = text.indexOf('\n\n')
  const header = split === -1 ? text : text.slice(0, split)
  const message = split === -1 ? '' : text.slice(split + 2)
  let tree = ''
  const parents: string[] = []
  let time = new Date(0)
  for (const line of header.split('\n')) {
    if (line.startsWith('tree ')) tree = line.slice(5)
    else if (line.startsWith('parent ')) parents.push(line.slice(7))
    else if (line.startsWith('committer ')) {
      const m = / (\d+) [+-]\d{4}$/.exec(line)
      if (m) time = new Date(Number(m[1]) * 1000)
    }
  }
  return {oid, tree, parents, time, message}
}

/** Read commits in bulk. */
export async function readCommits(ctx: StoreContext, oids: string[]): Promise<(CommitInfo | null)[]> {
  const objs = await readObjects(ctx, oids)
  return objs.map((o, i) => (o && o.type === 'commit' ? parseCommit(o.oid, o.content) : (void oids[i], null)))
}
