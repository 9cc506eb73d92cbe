import {spawn} from 'node:child_process'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'
import {gitEnv, makeRepo, projectRoot, removeDir, sh} from '../../support/repo.js'
import {fsck} from './helpers.js'

// These run the BUILT store (dist/) in separate node processes: build first.
const storeUrl = pathToFileURL(path.join(projectRoot, 'dist/core/store/index.js')).href
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

interface Run {
  code: number
  stdout: string
  stderr: string
}

function node(cwd: string, body: string, onLine?: (line: string) => void): Promise<Run> {
  return start(cwd, body, onLine).done
}

function start(cwd: string, body: string, onLine?: (line: string) => void): {done: Promise<Run>; send: (s: string) => void} {
  const code = `import {writeFileSync} from 'node:fs'; const {openStore} = await import(${JSON.stringify(storeUrl)}); ${body}`
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {cwd, env: {...process.env, ...gitEnv}})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => {
    stdout += d
    for (const l of String(d).split('\n')) if (l) onLine?.(l)
  })
  child.stderr.on('data', (d: Buffer) => (stderr += d))
  const done = new Promise<Run>((resolve) => child.on('close', (c) => resolve({code: c ?? 1, stdout, stderr})))
  return {done, send: (text) => child.stdin.end(text)}
}

describe('two git pare processes on one repository', () => {
  it('serialise through the lock: both finish, nothing is lost or corrupted', async () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    const worker = (name: string) =>
      node(dir, `const store = await openStore(process.cwd(), {lockWait: 60000})
        for (let i = 0; i < 8; i++) {
          await store.withLock(async () => {
            writeFileSync('${name}.txt', String(i))
            await store.checkpoint('${name} ' + i)
            await store.writePlan('${name}', 'n: ' + i + '\\n', 'step ' + i)
          })
        }`)
    const [a, b] = await Promise.all([worker('a'), worker('b')])
    expect(a.stderr + b.stderr).toBe('')
    expect([a.code, b.code]).toEqual([0, 0])
    const labels = sh(dir, ['for-each-ref', '--format=%(contents:subject)', 'refs/parecode/checkpoints/']).split('\n')
    expect(labels).toHaveLength(16)
    expect(sh(dir, ['rev-list', '--count', 'refs/parecode/plans/a'])).toBe('8')
    expect(sh(dir, ['rev-list', '--count', 'refs/parecode/plans/b'])).toBe('8')
    fsck(dir)
  })

  it('a process killed with SIGKILL at any point leaves fsck clean and the store usable', async () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    for (let round = 0; round < 5; round++) {
      const code = `import {writeFileSync} from 'node:fs'; const {openStore} = await import(${JSON.stringify(storeUrl)})
        const store = await openStore(process.cwd(), {lockWait: 10000})
        console.log('ready')
        for (let i = 0; ; i++) {
          writeFileSync('f' + (i % 7) + '.txt', 'round ${round} ' + i + '\\n'.repeat(i % 50))
          await store.checkpoint('cp ' + i)
          if (i % 3 === 0) await store.undo()
          await store.writePlan('p', 'i: ' + i + '\\n', 'step ' + i)
          await store.appendTurn('s', {chat: 'turn ' + i + '\\n', meta: '', workTree: true})
        }`
      const child = spawn(process.execPath, ['--input-type=module', '-e', code], {cwd: dir, env: {...process.env, ...gitEnv}, detached: true, stdio: ['ignore', 'pipe', 'ignore']})
      await new Promise<void>((r) => child.stdout.once('data', () => r()))
      // Let it run a different length of time each round, then kill it and its git children at once.
      await new Promise((r) => setTimeout(r, 100 + round * 137))
      process.kill(-child.pid!, 'SIGKILL')
      await new Promise((r) => child.on('close', r))
      fsck(dir)
      const after = await node(dir, `const store = await openStore(process.cwd()); await store.checkpoint('after'); await store.undo(); await store.writePlan('p', 'ok\\n', 'after'); console.log('ok')`)
      expect(after.stdout.trim()).toBe('ok')
      fsck(dir)
    }
  })

  it('the second fails clearly while the first holds the lock', async () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const holder = start(
      dir,
      `const store = await openStore(process.cwd())
      await store.withLock(async () => { console.log('held'); await new Promise((r) => process.stdin.once('data', r)) })`,
      (l) => l === 'held' && release(),
    )
    await held
    const second = await node(dir, `const store = await openStore(process.cwd(), {lockWait: 200})
      try { await store.snapshot(); console.log('no error') } catch (e) { console.log(e.exitCode + ' ' + e.message) }`)
    expect(second.stdout.trim()).toMatch(/^3 another git pare \(pid \d+\) is working on this repository$/)
    // Let the holder go; then the lock is free again.
    holder.send('go\n')
    expect((await holder.done).code).toBe(0)
    const third = await node(dir, `const store = await openStore(process.cwd(), {lockWait: 0}); await store.snapshot(); console.log(store.warnings.length)`)
    expect(third.stdout.trim()).toBe('0')
  })
})
