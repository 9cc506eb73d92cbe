import {ConfigError} from '../errors/config-error.js'
import type {ResolvedProfile} from './types.js'

/** The profile's endpoint and model, or a ConfigError saying how to configure them (for commands that call a model). */
export function requireModel(profile: ResolvedProfile): ResolvedProfile & {baseUrl: string; model: string} {
  if (!profile.baseUrl) {
    throw new ConfigError('no model endpoint is configured', 'run `git pare config` to see how to set one (a local Ollama is found automatically)', 'not_configured')
  }
  if (!profile.model) {
    throw new ConfigError(`no model is configured for ${profile.baseUrl}`, 'set `model:` in the profile, PARECODE_MODEL, or pass --model', 'no_model')
  }
  return profile as ResolvedProfile & {baseUrl: string; model: string}
}
