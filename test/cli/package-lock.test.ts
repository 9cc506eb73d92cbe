import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {projectRoot} from '../support/repo.js'

// `npm ci` (README's install command, and CI's) refuses a lock that does not match package.json: check it here,
// without the network, so a dependency bump that forgot the lock fails the suite rather than a user's install.
const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'))
const lock = JSON.parse(readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8'))
const root = lock.packages['']

describe('package-lock.json', () => {
  it('records the package as package.json declares it', () => {
    expect(lock.name).toBe(pkg.name)
    expect(lock.version).toBe(pkg.version)
    expect(root.version).toBe(pkg.version)
    expect(root.engines).toEqual(pkg.engines)
    expect(root.dependencies ?? {}).toEqual(pkg.dependencies ?? {})
    expect(root.devDependencies ?? {}).toEqual(pkg.devDependencies ?? {})
  })

  it('locks every direct dependency at the exact version package.json pins', () => {
    const direct = {...pkg.dependencies, ...pkg.devDependencies} as Record<string, string>
    for (const [name, version] of Object.entries(direct)) {
      expect(version, `${name} is pinned exactly`).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/)
      expect(lock.packages[`node_modules/${name}`]?.version, `${name} in package-lock.json`).toBe(version)
    }
  })
})
