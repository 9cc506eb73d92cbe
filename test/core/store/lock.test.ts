import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import path from 'node:path'
import {spawnSync} from 'node:child_process'
import {afterEach, describe, expect, it} from 'vitest'
import {openStore} from '../../../src/core/store/index.js'
import {RepoLock} from '../../../src/core/store/lock.js'
import {makeRepo, removeDir} from '../../support/repo.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

// A pid that is certainly not running: a child that has already exited.
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!
}

describe('repository lock', () => {
  it('clears a lock left by a dead process, with a warning', async () => {
    const dir = makeRepo()
    dirs.push(dir)
    const file = path.join(dir, '.git/parecode.lock')
    writeFileSync(file, JSON.stringify({pid: deadPid(), host: hostname(), started: '2026-01-01T00:00:00Z'}))
    const store = await openStore(dir)
    await store.snapshot()
    expect(store.warnings[0]).toMatch(/cleared a stale lock left by git pare \(pid \d+/)
    expect(existsSync(file)).toBe(false)
  })

  it('fails clearly when a live process holds it, after waiting', async () => {
    const dir = makeRepo()
    dirs.push(dir)
    const file = path.join(dir, '.git/parecode.lock')
    // The parent of this test process is alive and is not us.
    writeFileSync(file, JSON.stringify({pid: process.ppid, host: hostname(), started: '2026-01-01T00:00:00Z'}))
    const store = await openStore(dir, {lockWait: 100})
    await expect(store.snapshot()).rejects.toMatchObject({exitCode: 3, message: `another git pare (pid ${process.ppid}) is working on this repository`})
    expect(readFileSync(file, 'utf8')).toContain(String(process.ppid))
  })

  it('is re-entrant within one store and released afterwards', async () => {
    const dir = makeRepo()
    dirs.push(dir)
    const lock = new RepoLock(path.join(dir, '.git'))
    const inner = await lock.with(async () => {
      expect(JSON.parse(readFileSync(path.join(dir, '.git/parecode.lock'), 'utf8')).pid).toBe(process.pid)
      return lock.with(async () => 42)
    })
    expect(inner).toBe(42)
    expect(existsSync(path.join(dir, '.git/parecode.lock'))).toBe(false)
  })
})
