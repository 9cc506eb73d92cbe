import {describe, expect, it} from 'vitest'
import {loopbackLookup} from '../../../src/core/model/client.js'

const resolve = async (host: string, all = false) => {
  const lookup = await loopbackLookup()
  return new Promise<{err?: Error; addr?: unknown}>((done) => lookup(host, {all}, (err: unknown, addr?: unknown) => done({err: (err as Error) ?? undefined, addr})))
}

describe('a key for an endpoint a repository named goes only to this machine', () => {
  it('decides on the resolved address, not the name', async () => {
    expect((await resolve('127.0.0.1')).addr).toBe('127.0.0.1')
    expect((await resolve('localhost', true)).err).toBeUndefined()
    for (const host of ['10.1.2.3', '192.168.0.9', '8.8.8.8', '::ffff:10.0.0.1']) {
      const r = await resolve(host)
      expect(r.err?.message, host).toMatch(/not this machine: not sending your key there/)
    }
  })
})
