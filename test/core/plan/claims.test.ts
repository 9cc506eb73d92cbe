import {spawn} from 'node:child_process'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {claimLive, claimRef, parseClaim, encodeClaim, type Claim} from '../../../src/core/plan/claims.js'
import {openStore} from '../../../src/core/store/store.js'
import {releaseClaim, renewClaim, tryClaim, workerIdentity} from '../../../src/core/work/lease.js'
import {fetchPlanState, pushLeased} from '../../../src/core/work/remote.js'
import {teamRemote} from '../../support/remote-refs.js'
import {gitEnv, projectRoot, sh} from '../../support/repo.js'
import {scopedRepo} from '../../support/scoped.js'

const PLAN = 'p1'
const claim = (o: Partial<Claim> = {}): Claim => ({plan: PLAN, step: 1, holder: 'h1', by: 'ana', host: 'box', pid: 1, started_at: '2026-01-01T10:00:00.000Z', expires_at: '2026-01-01T10:10:00.000Z', ...o})

function team() {
  const first = scopedRepo({'a.txt': 'a\n'})
  const {bare, teammate} = teamRemote(first)
  return {first, bare, teammate}
}

describe('claim data', () => {
  it('round-trips and refuses what is not a claim of this step', () => {
    expect(parseClaim(encodeClaim(claim()), PLAN, 1)).toEqual(claim())
    expect(parseClaim(encodeClaim(claim()), PLAN, 2)).toHaveProperty('invalid')
    expect(parseClaim(encodeClaim(claim()), 'other', 1)).toHaveProperty('invalid')
    expect(parseClaim('not json', PLAN, 1)).toHaveProperty('invalid')
    expect(parseClaim(JSON.stringify({...claim(), expires_at: 'soon'}), PLAN, 1)).toHaveProperty('invalid')
    expect(parseClaim(JSON.stringify({...claim(), host: 'x'.repeat(500)}), PLAN, 1)).toHaveProperty('invalid')
    expect(parseClaim(' '.repeat(5000), PLAN, 1)).toHaveProperty('invalid')
  })

  it('is live until its expiry, and a lease longer than a day counts as expired', () => {
    const at = (s: string) => new Date(`2026-01-01T${s}Z`)
    expect(claimLive(claim(), at('10:05:00'))).toBe(true)
    expect(claimLive(claim(), at('10:10:01'))).toBe(false)
    expect(claimLive(claim({expires_at: '2026-03-01T00:00:00.000Z'}), at('10:05:00'))).toBe(false)
    expect(claimLive({invalid: 'x'}, at('10:05:00'))).toBe(false)
    expect(claimLive(null, at('10:05:00'))).toBe(false)
  })
})

describe('claims on a shared remote', () => {
  it('a claim is refused while another is live, taken over once expired by its exact id, and renewal then fails for the old holder', async () => {
    const {first, teammate} = team()
    const a = await openStore(first)
    const b = await openStore(teammate)
    const wa = await workerIdentity(a)
    const wb = await workerIdentity(b)
    const t0 = new Date('2026-01-01T10:00:00Z')
    const later = new Date('2026-01-01T10:00:30Z')
    const heldA = await tryClaim(a, 'origin', wa, PLAN, 1, undefined, 10_000, t0)
    expect(heldA).not.toBeNull()
    // b looked before a's claim existed: its "must not exist" lease is refused.
    expect(await tryClaim(b, 'origin', wb, PLAN, 1, undefined, 10_000, t0)).toBeNull()
    const seen = await fetchPlanState(b, 'origin', PLAN)
    expect(seen.plan).toBeNull()
    const current = seen.claims.get(1)!
    expect(current.oid).toBe(heldA!.oid)
    expect(current.claim).toMatchObject({holder: wa.holder, host: wa.host})
    // Live at t0: b does not even try.
    expect(await tryClaim(b, 'origin', wb, PLAN, 1, current, 10_000, t0)).toBeNull()
    // Expired 30 s later: b takes it over, naming the expired claim's id.
    const heldB = await tryClaim(b, 'origin', wb, PLAN, 1, current, 10_000, later)
    expect(heldB).not.toBeNull()
    // A second taker with the same stale view loses.
    const wc = await workerIdentity(a)
    expect(await tryClaim(a, 'origin', wc, PLAN, 1, current, 10_000, later)).toBeNull()
    // a comes back from a long pause: its renewal and its release are refused, b's claim stays.
    expect(await renewClaim(a, 'origin', heldA!, 10_000, later)).toBe(false)
    expect(await releaseClaim(a, 'origin', heldA!)).toBe(false)
    expect(sh(teammate, ['ls-remote', 'origin', claimRef(PLAN, 1)])).toContain(heldB!.oid)
    // b renews (a fast-forward of its claim) and releases.
    const before = heldB!.oid
    expect(await renewClaim(b, 'origin', heldB!, 10_000, later)).toBe(true)
    expect(sh(teammate, ['rev-parse', `${heldB!.oid}^`])).toBe(before)
    expect(await releaseClaim(b, 'origin', heldB!)).toBe(true)
    expect(sh(teammate, ['ls-remote', 'origin', 'refs/parecode/claims/*'])).toBe('')
  })

  it('an atomic push with a stale lease changes nothing', async () => {
    const {first} = team()
    const a = await openStore(first)
    const head = sh(first, ['commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', 'next'])
    const res = await pushLeased(a, 'origin', [
      {ref: 'refs/heads/pare/p1-1', new: head, expect: null},
      {ref: 'refs/heads/main', new: head, expect: sh(first, ['rev-parse', 'HEAD^{tree}'])},
    ])
    expect(res.ok).toBe(false)
    expect(res.rejected.map((r) => r.ref).sort()).toEqual(['refs/heads/main', 'refs/heads/pare/p1-1'])
    expect(sh(first, ['ls-remote', 'origin', 'refs/heads/pare/*'])).toBe('')
  })

  it('two processes on two clones racing for the same steps: each step has exactly one winner', async () => {
    const {first, bare, teammate} = team()
    const url = (p: string) => JSON.stringify(pathToFileURL(path.join(projectRoot, p)).href)
    // The built modules, in separate node processes: a real race between two git pushes.
    const body = (name: string) => `
      const {openStore} = await import(${url('dist/core/store/store.js')})
      const {tryClaim, workerIdentity} = await import(${url('dist/core/work/lease.js')})
      const store = await openStore(process.cwd())
      const w = await workerIdentity(store)
      const won = []
      await Promise.all([1, 2, 3, 4, 5, 6].map(async (n) => { if (await tryClaim(store, 'origin', w, 'race', n, undefined, 60000, new Date())) won.push(n) }))
      console.log(JSON.stringify({name: ${JSON.stringify(name)}, holder: w.holder, won}))`
    const run = (cwd: string, name: string) =>
      new Promise<{code: number; out: string; err: string}>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', body(name)], {cwd, env: {...process.env, ...gitEnv}})
        let out = ''
        let err = ''
        child.stdout.on('data', (d) => (out += d))
        child.stderr.on('data', (d) => (err += d))
        child.on('close', (code) => resolve({code: code ?? 1, out, err}))
      })
    const [ra, rb] = await Promise.all([run(first, 'a'), run(teammate, 'b')])
    expect(ra.code, ra.err).toBe(0)
    expect(rb.code, rb.err).toBe(0)
    const a = JSON.parse(ra.out)
    const b = JSON.parse(rb.out)
    expect([...a.won, ...b.won].sort()).toEqual([1, 2, 3, 4, 5, 6])
    expect(a.won.filter((n: number) => b.won.includes(n))).toEqual([])
    // The remote's claim of each step names the process that was told it won.
    const store = await openStore(teammate)
    const seen = await fetchPlanState(store, 'origin', 'race')
    for (const n of [1, 2, 3, 4, 5, 6]) expect(seen.claims.get(n)!.claim).toMatchObject({holder: a.won.includes(n) ? a.holder : b.holder})
    for (const dir of [first, teammate, bare]) expect(sh(dir, ['fsck', '--strict', '--no-progress'])).not.toMatch(/error/)
  }, 120_000)
})
