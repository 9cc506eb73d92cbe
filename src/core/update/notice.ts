import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {CHECK_INTERVAL_MS, isNewer} from './policy.js'
import {readUpdateState, updateStatePath, writeUpdateState} from './state.js'

/**
 * The update notice: reads what the last check found (a small file, no network) and, when that is a day old,
 * starts a detached process to ask again. Returns the line to print when a newer version is known. Never
 * waits on the network and never throws.
 */
export function updateNotice(opts: {name: string; version: string; env: Record<string, string | undefined>; now?: number}): string | undefined {
  try {
    const file = updateStatePath(opts.env)
    const state = readUpdateState(file)
    const now = opts.now ?? Date.now()
    if (!state || now - state.checked_at >= CHECK_INTERVAL_MS || state.checked_at > now) {
      // Recorded first, so that commands started meanwhile do not each start a check.
      writeUpdateState(file, {checked_at: now, ...(state?.latest ? {latest: state.latest} : {})})
      const worker = fileURLToPath(new URL('./worker.js', import.meta.url))
      const child = spawn(process.execPath, [worker, opts.name, file], {detached: true, stdio: 'ignore', env: opts.env as NodeJS.ProcessEnv})
      child.on('error', () => {})
      child.unref()
    }
    if (state?.latest && isNewer(state.latest, opts.version)) {
      return `git-pare ${state.latest} is available (you have ${opts.version}): npm install -g git-pare@${state.latest} · NO_UPDATE_NOTIFIER=1 turns this off`
    }
  } catch {
    // The notice is a courtesy: a read-only state directory or a failed spawn must not touch the command.
  }
  return undefined
}
