import {detectSandbox} from '../../../src/core/sandbox/detect.js'

/** Whether bubblewrap works on this machine (CI installs it); tests that need it skip with this reason otherwise. */
export async function bwrapUsable(): Promise<boolean> {
  return (await detectSandbox()).kind === 'bwrap'
}

export const NO_BWRAP = 'bubblewrap (bwrap) is not usable on this machine; CI installs it'
