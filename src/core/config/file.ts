import {readFile} from 'node:fs/promises'
import {ConfigError} from '../errors/config-error.js'
import {validateDocument} from './schema.js'
import type {ConfigFile, ConfigSettings} from './types.js'

/** Parse and validate config text; `display` names the file in errors (`<file>:<line>: ...`). */
export async function parseConfigText(text: string, display: string): Promise<ConfigSettings> {
  const yaml = await import('yaml')
  const lines = new yaml.LineCounter()
  const doc = yaml.parseDocument(text, {lineCounter: lines, keepSourceTokens: true, prettyErrors: false, uniqueKeys: true})
  const problem = doc.errors[0]
  if (problem) {
    const line = problem.linePos?.[0]?.line ?? lines.linePos(problem.pos[0]).line
    const message = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
    throw new ConfigError(`${display}:${line}: invalid YAML: ${message}`, `fix the YAML syntax in ${display}`, 'config_yaml')
  }
  return validateDocument(doc, lines, display, yaml)
}

/** A config file's text that was already read (a repository's, read safely): parse and validate it. */
export async function configFromText(opts: {scope: 'user' | 'repo'; path: string; display: string; text: string}): Promise<ConfigFile> {
  const settings = await parseConfigText(opts.text, opts.display)
  return {scope: opts.scope, path: opts.path, display: opts.display, source: `${opts.scope}:${opts.display}`, settings}
}

/** Read one config file; undefined when it does not exist. */
export async function readConfigFile(opts: {scope: 'user' | 'repo'; path: string; display: string}): Promise<ConfigFile | undefined> {
  let text: string
  try {
    text = await readFile(opts.path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw new ConfigError(`cannot read ${opts.display}: ${(err as Error).message}`, 'check the file permissions')
  }
  const settings = await parseConfigText(text, opts.display)
  return {scope: opts.scope, path: opts.path, display: opts.display, source: `${opts.scope}:${opts.display}`, settings}
}
