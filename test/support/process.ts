import {readFileSync} from 'node:fs'

/** Whether a process is still running: gone, or a zombie waiting for a reaper (containers often have none), counts as dead. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}
