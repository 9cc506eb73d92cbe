import {describe, expect, it} from 'vitest'
import {bwrapArgs} from '../../../src/core/sandbox/bwrap.js'
import {detectSandbox} from '../../../src/core/sandbox/detect.js'
import {resolveBashPolicy} from '../../../src/core/sandbox/policy.js'
import {seatbeltArgs} from '../../../src/core/sandbox/seatbelt.js'

const bwrap = async () => ({kind: 'bwrap' as const, path: '/usr/bin/bwrap'})
const none = async () => ({kind: 'none' as const, reason: 'bwrap not found'})

describe('resolveBashPolicy', () => {
  it('defaults to auto in a sandbox and to ask without one', async () => {
    expect(await resolveBashPolicy({}, bwrap)).toMatchObject({approval: 'auto', sandbox: {kind: 'bwrap'}, network: false})
    expect(await resolveBashPolicy({}, none)).toMatchObject({approval: 'ask', sandbox: null})
    expect(await resolveBashPolicy(undefined, none)).toMatchObject({approval: 'ask', sandbox: null})
  })

  it('a sandbox the user turned off is not used, and approval then defaults to ask; an explicit choice wins', async () => {
    expect(await resolveBashPolicy({sandbox: false}, bwrap)).toMatchObject({approval: 'ask', sandbox: null})
    expect(await resolveBashPolicy({sandbox: false, approval: 'auto'}, bwrap)).toMatchObject({approval: 'auto', sandbox: null})
    expect(await resolveBashPolicy({approval: 'never', allow: ['npm test']}, bwrap)).toMatchObject({approval: 'never', allow: ['npm test']})
  })

  it('detection is cached per process and says why there is none', async () => {
    const a = detectSandbox({platform: 'linux', pathEnv: '/nonexistent-dir'})
    expect(detectSandbox({platform: 'linux', pathEnv: '/nonexistent-dir'})).toBe(a)
    expect(await a).toEqual({kind: 'none', reason: 'bwrap not found (install the bubblewrap package)'})
    expect((await detectSandbox({platform: 'win32'})).kind).toBe('none')
  })
})

describe('bwrapArgs', () => {
  const spec = {
    root: '/home/u/src/p', readOnly: ['/home/u/src/p/.git'], homes: ['/home/u'], toolDirs: ['/home/u/.nvm/versions/node/v20'], masked: [], extraRead: [],
    network: false, env: {PATH: '/usr/bin', HOME: '/tmp/home'}, scratchHome: '/tmp/home', hidden: ['/tmp', '/run'],
  }
  it('hides the home read-only, then shows the work tree writable and .git read-only over it, without network', () => {
    const a = bwrapArgs(spec, ['bash', '-c', 'true']).join(' ')
    expect(a.startsWith('--ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --tmpfs /run')).toBe(true)
    expect(a).toContain('--tmpfs /home/u --dir /home/u/.nvm/versions/node/v20 --dir /home/u/src/p --dir /home/u/src/p/.git --remount-ro /home/u')
    expect(a.indexOf('--bind /home/u/src/p /home/u/src/p')).toBeLessThan(a.indexOf('--ro-bind-try /home/u/src/p/.git /home/u/src/p/.git'))
    expect(a).toContain('--ro-bind-try /home/u/.nvm/versions/node/v20 /home/u/.nvm/versions/node/v20')
    for (const f of ['--unshare-net', '--unshare-pid', '--die-with-parent', '--new-session', '--clearenv', '--cap-drop ALL']) expect(a).toContain(f)
    expect(a.endsWith('--chdir /home/u/src/p -- bash -c true')).toBe(true)
    expect(bwrapArgs({...spec, network: true}, ['true'])).not.toContain('--unshare-net')
  })

  it('leaves a home inside the work tree alone', () => {
    expect(bwrapArgs({...spec, homes: ['/home/u/src/p/h']}, ['true'])).not.toContain('--remount-ro')
  })
})

describe('seatbeltArgs', () => {
  it('passes paths as parameters, never inside the profile text', () => {
    const evil = '/Users/u/p") (allow default) ("'
    const a = seatbeltArgs({root: evil, readOnly: [`${evil}/.git`], writable: ['/private/tmp'], home: '/Users/u', toolDirs: [], network: false}, ['/bin/bash', '-c', 'true'])
    const profile = a[1]!
    expect(profile).not.toContain(evil)
    expect(profile).not.toContain('(allow network')
    expect(profile).toContain('(deny default)')
    expect(a).toContain(`ROOT=${evil}`)
    expect(a.slice(-3)).toEqual(['/bin/bash', '-c', 'true'])
  })
})
