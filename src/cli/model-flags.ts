import {Flags} from '@oclif/core'
import type {LoadedConfig} from '../core/config/load.js'
import type {ModelFlagValues} from '../core/config/resolve.js'

/** `--profile`, `--model`, `--base-url`: shared by every command that talks to a model (spread into `static flags`). */
export const modelFlags = {
  profile: Flags.string({description: 'profile to use (from ~/.config/parecode/config.yaml or .parecode/config.yaml)', helpGroup: 'MODEL'}),
  model: Flags.string({description: 'model name, overriding the profile', helpGroup: 'MODEL'}),
  'base-url': Flags.string({description: 'an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1', helpGroup: 'MODEL'}),
  approval: Flags.string({description: 'when bash commands need your approval: auto, ask or never (default: auto in the sandbox, ask without one)', options: ['auto', 'ask', 'never'], helpGroup: 'MODEL'}),
}

/** The parsed shared flags, as the config resolver takes them. */
export function modelFlagValues(flags: {profile?: string; model?: string; 'base-url'?: string; approval?: string}): ModelFlagValues {
  return {profile: flags.profile, model: flags.model, baseUrl: flags['base-url'], approval: flags.approval}
}

/**
 * Load the configuration for a command: user and repo files, process environment, the shared flags.
 * `repoRoot`: pass the root when the command already found the repository, null outside one.
 * `note`: receives each warning (pass `(w) => this.note(w)` so they reach stderr and --json).
 */
export async function loadCommandConfig(
  flags: {profile?: string; model?: string; 'base-url'?: string; approval?: string},
  opts: {repoRoot?: string | null; note?: (warning: string) => void} = {},
): Promise<LoadedConfig> {
  const {loadConfig} = await import('../core/config/load.js')
  const loaded = await loadConfig({cwd: process.cwd(), repoRoot: opts.repoRoot, env: process.env, flags: modelFlagValues(flags)})
  for (const w of loaded.warnings) opts.note?.(w)
  return loaded
}
