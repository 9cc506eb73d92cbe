import {UsageError} from '../errors/index.js'
import type {StoreContext} from './context.js'
import {remoteNamespace, SHARED} from './sync.js'

export interface FetchConfigResult {
  remote: string
  /** Refspecs added to remote.<name>.fetch now. */
  added: string[]
  /** Refspecs that were there already. */
  present: string[]
}

/**
 * The refspecs that make a plain `git fetch <remote>` bring git-pare's shared refs too. They fetch into
 * refs/parecode-remote/<remote>/ (where `git pare pull` fetches), never onto the local refs/parecode/*: a forced
 * refspec there would replace local plans and sessions with the remote's. `git pare pull` then moves the local ones
 * forward where that is a fast-forward.
 */
export function parecodeRefspecs(remote: string): string[] {
  const ns = remoteNamespace(remote)
  return [...SHARED.map((s) => `+refs/parecode/${s}/*:${ns}/${s}/*`), `+refs/parecode/claims/*:${ns}/claims/*`]
}

/** Add the refspecs to remote.<name>.fetch, once: running it again adds nothing. */
export async function configureFetch(ctx: StoreContext, remote: string): Promise<FetchConfigResult> {
  const url = await ctx.run(['config', '--get', `remote.${remote}.url`], {allowFail: true})
  if (remote.startsWith('-') || url.code !== 0) throw new UsageError(`--configure needs the name of a configured remote; ${JSON.stringify(remote)} is not one`, 'see `git remote -v`, or add one with `git remote add <name> <url>`')
  const have = new Set((await ctx.run(['config', '--get-all', `remote.${remote}.fetch`], {allowFail: true})).stdout.split('\n').map((l) => l.trim()).filter(Boolean))
  const out: FetchConfigResult = {remote, added: [], present: []}
  for (const spec of parecodeRefspecs(remote)) {
    if (have.has(spec)) out.present.push(spec)
    else {
      await ctx.run(['config', '--add', `remote.${remote}.fetch`, spec])
      out.added.push(spec)
    }
  }
  return out
}
