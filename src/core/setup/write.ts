import {copyFile, mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {ConfigError} from '../errors/config-error.js'

/** The user config's text, or undefined when there is none. */
export async function readUserConfig(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`, 'check the file permissions')
  }
}

/** A backup name that does not exist yet: `config.yaml.bak`, then `config.yaml.bak.2`, … */
async function freeBackup(file: string): Promise<string> {
  const {access} = await import('node:fs/promises')
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? `${file}.bak` : `${file}.bak.${i}`
    try {
      await access(candidate)
    } catch {
      return candidate
    }
  }
}

/**
 * Write the user config atomically (a temporary file renamed over it). When `previous` is given the file existed:
 * it is first copied to a backup that overwrites nothing; the backup's path is returned.
 */
export async function writeUserConfig(file: string, text: string, previous?: string): Promise<{backup?: string}> {
  await mkdir(path.dirname(file), {recursive: true})
  // Another process (or editor) changed the file since we read it: refuse rather than lose that change.
  const now = await readUserConfig(file)
  if ((now ?? undefined) !== (previous ?? undefined)) {
    throw new ConfigError(`${file} changed while setup ran`, 'run `git pare setup` again', 'setup_conflict')
  }
  let backup: string | undefined
  if (previous !== undefined) {
    backup = await freeBackup(file)
    await copyFile(file, backup)
  }
  const tmp = `${file}.${Math.random().toString(36).slice(2, 10)}.tmp`
  await writeFile(tmp, text, {mode: 0o600})
  await rename(tmp, file)
  return backup ? {backup} : {}
}
