import {ReadCache} from '../../../src/core/context/read-cache.js'
import type {ToolContext} from '../../../src/core/tools/types.js'

let n = 0

/** A ToolContext for a temp repo; each call gets a fresh call id unless given. */
export function makeCtx(root: string, over: Partial<ToolContext> = {}): ToolContext {
  return {root, callId: `call_${++n}`, readCache: new ReadCache(), env: {PATH: process.env.PATH, HOME: root}, ...over}
}
