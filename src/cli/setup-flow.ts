import {homedir} from 'node:os'
import type {LoadedConfig} from '../core/config/load.js'
import type {ConfigEdit, Discovery, SetupChoice, TryResult} from '../core/setup/index.js'
import {neutraliseLine} from '../core/text/terminal.js'

/** What an interactive setup did. */
export interface SetupOutcome {
  discovery: Discovery
  /** Nothing to offer: no local server answered and no provider key is set. */
  nothingFound?: boolean
  /** The user left (Ctrl+C, Escape, or "none of these"). */
  cancelled?: boolean
  choice?: SetupChoice
  written?: {path: string; display: string; backup?: string} & ConfigEdit
  test?: TryResult
}

type Out = NodeJS.WriteStream

const line = (out: Out, text = '') => out.write(`${neutraliseLine(text)}\n`)

/** Whether this process can ask the user: a terminal on both ends. */
export const canAsk = () => Boolean(process.stdin.isTTY && process.stdout.isTTY && process.stderr.isTTY)

/** The global fetch, as the probe takes it. */
const probeFetch = (url: string, init?: RequestInit) => fetch(url, init)

/** Find local servers and provider keys, without asking anything. */
export async function findModels(env: NodeJS.ProcessEnv): Promise<Discovery> {
  const {discover} = await import('../core/setup/index.js')
  return discover({env, fetch: probeFetch})
}

function report(out: Out, d: Discovery): void {
  for (const s of d.servers) {
    const chat = s.models.length
    line(out, `found ${s.name} at ${s.baseUrl}: ${chat ? `${chat} model${chat === 1 ? '' : 's'}` : 'no models yet'}`)
  }
  for (const p of d.providers) line(out, `found $${p.keyEnv}: ${p.name}${p.baseUrlFrom ? ` (at ${p.baseUrl}, from $${p.baseUrlFrom})` : ''}`)
  for (const w of d.warnings) line(out, `warning: ${w}`)
}

/** A prompt cancelled by Ctrl+C or a closed terminal. */
const isExit = (err: unknown) => ['ExitPromptError', 'AbortPromptError', 'CancelPromptError'].includes((err as Error)?.name)

/**
 * Ask which model to use, write it to the user config (a new profile, selected; the rest of the file kept), then send
 * one tiny request to show it works. Everything is written to `out` (stderr when a command's stdout is its answer).
 */
export async function interactiveSetup(opts: {env: NodeJS.ProcessEnv; out: Out; intro?: string}): Promise<SetupOutcome> {
  const {env, out} = opts
  const home = env.HOME ?? homedir()
  const [{default: select}, setup, {userConfigPath, tildify}] = await Promise.all([
    import('@inquirer/select'),
    import('../core/setup/index.js'),
    import('../core/config/paths.js'),
  ])
  if (opts.intro) line(out, opts.intro)
  line(out, 'Looking for local model servers and provider keys…')
  const discovery = await findModels(env)
  report(out, discovery)
  const choices = setup.setupChoices(discovery)
  if (!choices.length) return {discovery, nothingFound: true}
  const file = userConfigPath(env, home)
  const display = tildify(file, home)
  const ctx = {output: out, clearPromptOnDone: false}
  let choice: SetupChoice | null
  try {
    choice = await select<SetupChoice | null>(
      {
        message: 'Which model should git pare use?',
        choices: [
          ...choices.map((c) => ({value: c, name: neutraliseLine(setup.choiceLabel(c)), short: neutraliseLine(`${c.model} (${c.where})`)})),
          {value: null, name: 'None of these: show how to configure one by hand'},
        ],
        pageSize: 12,
      },
      ctx,
    )
  } catch (err) {
    if (isExit(err)) return {discovery, cancelled: true}
    throw err
  }
  if (!choice) return {discovery, cancelled: true}

  const existing = await setup.readUserConfig(file)
  const date = new Date().toISOString().slice(0, 10)
  const edit = await setup.editUserConfig(existing, choice, {display, date})
  if (!edit.created) {
    const what = edit.reused ? `select its profile "${edit.profile}"` : `add profile "${edit.profile}" and select it`
    let yes: boolean
    try {
      yes = await select({message: `${display} exists: ${what}? (your other settings stay as they are)`, choices: [{value: true, name: 'Yes'}, {value: false, name: 'No, leave the file alone'}]}, ctx)
    } catch (err) {
      if (isExit(err)) return {discovery, cancelled: true, choice}
      throw err
    }
    if (!yes) return {discovery, cancelled: true, choice}
  }
  const {backup} = await setup.writeUserConfig(file, edit.text, existing)
  const written = {path: file, display, ...(backup ? {backup: tildify(backup, home)} : {}), ...edit}
  line(out, `${edit.created ? 'wrote' : 'updated'} ${display}: profile "${edit.profile}" (${choice.model} at ${choice.baseUrl}${choice.keyEnv ? `, key from $${choice.keyEnv}` : ''})`)
  if (edit.replacedSelection) line(out, `note: it replaces "${edit.replacedSelection}" as the selected profile (still defined; --profile ${edit.replacedSelection} uses it)`)
  if (backup) line(out, `note: the previous file is kept as ${tildify(backup, home)}`)

  line(out, `Testing ${choice.model}…`)
  const test = await setup.tryModel(choice, {apiKey: choice.keyEnv ? env[choice.keyEnv]?.trim() : undefined})
  if (test.ok) line(out, `✓ ${choice.model} answered "${test.reply ?? ''}" in ${(test.ms / 1000).toFixed(1)}s: git pare is ready`)
  else {
    line(out, `✗ the test request failed: ${test.error?.message}`)
    if (test.error?.hint) line(out, `hint: ${test.error.hint}`)
    line(out, `The profile is written; fix the above and check with \`git pare config\`, or run \`git pare setup\` again.`)
  }
  return {discovery, choice, written, test}
}

// Setup is offered at most once per process.
let offered = false

/**
 * The first `run`, `chat`, `plan` or `step` with nothing configured, on a terminal: offer setup there and then.
 * True when a profile was written (the caller reloads its config); false leaves the command to fail as before.
 */
export async function offerSetup(loaded: LoadedConfig | undefined, opts: {json?: boolean}): Promise<boolean> {
  if (offered || opts.json || !canAsk() || (loaded && loaded.profile.baseUrl)) return false
  offered = true
  const res = await interactiveSetup({env: process.env, out: process.stderr, intro: 'No model is configured yet: let us set one up (Ctrl+C to skip).'})
  if (res.nothingFound) line(process.stderr, 'Nothing found: no local server answered and no provider key is set.')
  process.stderr.write('\n')
  return Boolean(res.written)
}

/** For chat, which reads the terminal itself: offer setup before its prompt opens. */
export async function offerSetupBeforeChat(flags: {profile?: string; model?: string; 'base-url'?: string; json?: boolean}): Promise<void> {
  if (flags.json || !canAsk()) return
  // Once the chat prompt owns the terminal, a picker inside a turn would fight it for the keys: offer now or never.
  const wasOffered = offered
  offered = true
  if (wasOffered) return
  const {loadCommandConfig} = await import('./model-flags.js')
  const {findRepo} = await import('../core/store/repo.js')
  const repoRoot = await findRepo(process.cwd()).then((r) => r.root, () => null)
  const loaded = await loadCommandConfig(flags, {repoRoot}).catch(() => undefined)
  offered = false
  if (loaded) await offerSetup(loaded, flags)
  offered = true
}
