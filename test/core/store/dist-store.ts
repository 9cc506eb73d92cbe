import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {gitEnv, projectRoot} from '../../support/repo.js'

/** Run a snippet against the BUILT store in a separate node process (`store` is open on cwd). */
export function withStore(cwd: string, body: string): string {
  const url = pathToFileURL(path.join(projectRoot, 'dist/core/store/index.js')).href
  const code = `const {openStore} = await import(${JSON.stringify(url)}); const store = await openStore(process.cwd()); ${body}`
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', code], {cwd, env: {...process.env, ...gitEnv}, encoding: 'utf8'})
  if (res.status !== 0) throw new Error(`store snippet failed: ${res.stderr}`)
  return res.stdout.trim()
}
