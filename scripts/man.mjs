// man/git-pare.1 from the oclif manifest: `git pare --help` is turned by git into `git help pare`, which opens it.
import {readFileSync, writeFileSync, mkdirSync, rmSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const manifest = JSON.parse(readFileSync(path.join(root, 'oclif.manifest.json'), 'utf8'))
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
// `git-pare` where text names the command reads `git pare`, as in --help (src/cli/help.ts); the NAME line is the page's own name.
const gitPare = (s) => String(s ?? '').replace(/(^|[\s`'"(])git-pare(?=$|[\s.,:;)`'"])/gm, '$1git pare')
const esc = (s) => String(s ?? '').replace(/\\/g, '\\\\').replace(/^\./gm, '\\&.').replace(/-/g, '\\-')

const ids = Object.keys(manifest.commands).sort()
let out = `.TH GIT\\-PARE 1 "" "git-pare ${pkg.version}" "Git Manual"\n`
out += `.SH NAME\ngit\\-pare \\- ${esc(pkg.description)}\n`
out += `.SH SYNOPSIS\n.B git pare\n.I command\n[\\fIflags\\fR]\n`
out += `.SH DESCRIPTION\n${esc('git pare drives an LLM through any OpenAI-compatible endpoint to change code. Plans, checkpoints and sessions are stored as git objects under refs/parecode/, so they travel with push and fetch.')}\n`
out += `.SH COMMANDS\n`
for (const id of ids) {
  const c = manifest.commands[id]
  const args = Object.keys(c.args ?? {}).map((a) => `<${a}>`).join(' ')
  out += `.TP\n.B git pare ${esc(id.replace(/:/g, ' '))}${args ? ' ' + esc(args) : ''}\n${esc(gitPare(c.summary ?? c.description ?? ''))}\n`
  for (const [name, f] of Object.entries(c.flags ?? {})) {
    if (f.hidden || name === 'json' || name === 'verbose') continue
    out += `.RS\n.TP\n.B \\-\\-${esc(name)}${f.char ? ', \\-' + f.char : ''}\n${esc(gitPare(f.summary ?? f.description ?? ''))}\n.RE\n`
  }
  // Examples as people type them: `git pare …` (the templates name the binary, git-pare).
  const examples = (c.examples ?? []).map((e) => (typeof e === 'string' ? e : e.command)).map((e) => e.replaceAll('<%= config.bin %>', 'git pare'))
  if (examples.length) out += `.RS\n.PP\nExamples:\n.RS\n${examples.map((e) => `.nf\n${esc(e)}\n.fi\n`).join('')}.RE\n.RE\n`
}
out += `.SH GLOBAL FLAGS\n.TP\n.B \\-\\-json\nPrint a JSON object {status, result, warnings} instead of text.\n.TP\n.B \\-\\-verbose, \\-v\nShow more detail.\n`
out += `.SH ENVIRONMENT\n.TP\n.B PARECODE_BASE_URL, PARECODE_MODEL, PARECODE_API_KEY, PARECODE_PROFILE\nOverride the profile's endpoint, model, key and the profile itself.\n`
out += `.TP\n.B OPENAI_API_KEY, OPENROUTER_API_KEY\n${esc('Used for their own provider; either alone selects that provider when nothing else names an endpoint.')}\n`
out += `.TP\n.B OLLAMA_HOST, PARECODE_NO_OLLAMA_PROBE=1\n${esc('Where to look for a local Ollama (default 127.0.0.1:11434); turn the probe off.')}\n`
out += `.TP\n.B XDG_CONFIG_HOME\n${esc('Directory of the user config (default ~/.config).')}\n.TP\n.B DEBUG=git\\-pare*\nShow stack traces.\n`
out += `.SH FILES\n.TP\n.I ~/.config/parecode/config.yaml\n${esc('User configuration: profiles (base_url, model, api_key_env, ...). See git pare config.')}\n.TP\n.I .parecode/config.yaml\n${esc("Repository configuration; overrides the user's, key by key.")}\n`
out += `.SH SEE ALSO\n.BR git (1)\n`
// man(1) looks for section pages in <dir>/man1/, so MANPATH=<package>/man finds it (and npm installs it from there).
mkdirSync(path.join(root, 'man/man1'), {recursive: true})
writeFileSync(path.join(root, 'man/man1/git-pare.1'), out)
rmSync(path.join(root, 'man/git-pare.1'), {force: true})
