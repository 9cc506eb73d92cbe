import type {Store} from '../core/store/store.js'
import type {RepoPaths} from '../core/store/repo.js'

/** The store for plan commands that need no model. */
export async function openPlanStore(repo: RepoPaths, onWarning: (m: string) => void): Promise<Store> {
  const {openStore} = await import('../core/store/store.js')
  return openStore(repo, {onWarning})
}
