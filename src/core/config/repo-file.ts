import {readRepoFile} from '../fs/repo-file.js'

/** The repository's config file, relative to its root. */
export const REPO_CONFIG_FILE = '.parecode/config.yaml'
/** The approval key of the repository's config file. */
export const REPO_CONFIG_KEY = `config:${REPO_CONFIG_FILE}`
/** A config file is a few hundred bytes; anything this large is not one. */
export const REPO_CONFIG_MAX_BYTES = 256 * 1024

/** The repository's config text, read only when it is a regular file inside the repository (no symlink out, capped). */
export async function readRepoConfigText(root: string): Promise<{ok: true; text: string} | {ok: false; missing: boolean; reason: string}> {
  const r = await readRepoFile(root, REPO_CONFIG_FILE, {maxBytes: REPO_CONFIG_MAX_BYTES})
  return r.ok ? {ok: true, text: r.content.toString('utf8')} : r
}
