import {homedir} from 'node:os'
import {BaseCommand} from '../cli/base-command.js'
import {ConfigError, ExitCode, InterruptedError} from '../core/errors/index.js'

export interface SetupResult {
  servers: {name: string; base_url: string; kind: string; models: {id: string; tools?: boolean; context_window?: number}[]}[]
  /** Providers whose key is in the environment: the variable's name only, never the key. */
  providers: {id: string; name: string; key_env: string; base_url: string; model: string}[]
  /** What the picker would offer, best first. */
  choices: {profile: string; where: string; base_url: string; model: string; key_env?: string; tools?: boolean; context_window?: number}[]
  /** Ports that gave no answer. */
  silent: string[]
  user_config: {path: string; display: string; exists: boolean}
  /** On a terminal: the profile written and whether the test request answered. */
  written?: {profile: string; path: string; created: boolean; backup?: string}
  test?: {ok: boolean; reply?: string; ms: number; error?: {code: string; message: string; hint?: string}}
}

export default class Setup extends BaseCommand {
  static summary = 'Find a model to use and write it to your user config'
  static description = `Looks for local servers on this machine (Ollama on port 11434, LM Studio on 1234, llama.cpp on 8080, vLLM on 8000; 300 ms each) and lists their models, marking the ones the server says take tools and warning when a model's context is below 16k tokens. Then it looks for provider keys in the environment: OPENAI_API_KEY, OPENROUTER_API_KEY, ANTHROPIC_API_KEY, DEEPSEEK_API_KEY, GROQ_API_KEY, MISTRAL_API_KEY, GEMINI_API_KEY (or GOOGLE_API_KEY). Keys are never printed or written: the profile names the variable (api_key_env).

Pick one with the arrow keys and Enter. Setup writes it as a profile in ~/.config/parecode/config.yaml (or $XDG_CONFIG_HOME/parecode/config.yaml) and selects it; an existing file keeps its other profiles, settings and comments (it asks first, and keeps a backup), then sends one tiny request to show the model answers.

\`git pare run\`, \`chat\` and \`plan\` offer setup by themselves on a terminal when nothing is configured. Without a terminal setup prints how to configure by hand and exits 2; --json reports what it found without asking or writing anything.`

  static examples = ['<%= config.bin %> setup', '<%= config.bin %> setup --json']

  async run(): Promise<SetupResult> {
    await this.parse(Setup)
    const env = process.env
    const home = env.HOME ?? homedir()
    const [{userConfigPath, tildify}, {setupHelp}, {canAsk, findModels, interactiveSetup}, {setupChoices}, {readUserConfig}] = await Promise.all([
      import('../core/config/paths.js'),
      import('../core/config/messages.js'),
      import('../cli/setup-flow.js'),
      import('../core/setup/choice.js'),
      import('../core/setup/write.js'),
    ])
    const file = userConfigPath(env, home)
    const display = tildify(file, home)
    const exists = async () => (await readUserConfig(file)) !== undefined
    if (this.jsonEnabled()) {
      const d = await findModels(env)
      for (const w of d.warnings) this.note(w)
      return {...shape(d, setupChoices(d)), user_config: {path: file, display, exists: await exists()}}
    }
    if (!canAsk()) {
      this.log(setupHelp(display))
      throw new ConfigError('git pare setup asks which model to use, and needs a terminal for that', 'configure by hand as above, or see what setup finds with `git pare setup --json`', 'not_configured')
    }
    const res = await interactiveSetup({env, out: process.stdout})
    const result: SetupResult = {...shape(res.discovery, setupChoices(res.discovery)), user_config: {path: file, display, exists: await exists()}}
    if (res.nothingFound) {
      this.log('\nNothing found: no local server answered and no provider key is set.\n')
      this.log(setupHelp(display))
      throw new ConfigError('no model server or provider key was found', 'start a local server (e.g. `ollama serve`) or export a provider key, then run `git pare setup` again', 'not_configured')
    }
    if (res.cancelled && !res.choice) throw new InterruptedError('setup cancelled: nothing was written')
    if (res.cancelled) {
      this.log(setupHelp(display))
      throw new InterruptedError(`setup cancelled: ${display} is unchanged`)
    }
    if (res.written) result.written = {profile: res.written.profile, path: res.written.path, created: res.written.created, ...(res.written.backup ? {backup: res.written.backup} : {})}
    if (res.test) result.test = res.test
    // The profile is written either way; a model that did not answer is a provider problem, as in every other command.
    if (res.test && !res.test.ok) process.exitCode = ExitCode.model
    return result
  }
}

function shape(d: import('../core/setup/index.js').Discovery, choices: import('../core/setup/index.js').SetupChoice[]): Omit<SetupResult, 'user_config'> {
  return {
    servers: d.servers.map((s) => ({name: s.name, base_url: s.baseUrl, kind: s.kind, models: s.models.map((m) => ({id: m.id, ...(m.tools === undefined ? {} : {tools: m.tools}), ...(m.contextWindow ? {context_window: m.contextWindow} : {})}))})),
    providers: d.providers.map((p) => ({id: p.id, name: p.name, key_env: p.keyEnv, base_url: p.baseUrl, model: p.model})),
    choices: choices.map((c) => ({
      profile: c.profile,
      where: c.where,
      base_url: c.baseUrl,
      model: c.model,
      ...(c.keyEnv ? {key_env: c.keyEnv} : {}),
      ...(c.tools === undefined ? {} : {tools: c.tools}),
      ...(c.contextWindow ? {context_window: c.contextWindow} : {}),
    })),
    silent: d.silent,
  }
}
