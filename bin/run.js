#!/usr/bin/env node
import {readFileSync} from 'node:fs'

let argv = process.argv.slice(2)
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

// `git pare --json log`, `git pare -v log`: global flags before the command are moved after it.
if (argv.length > 1 && argv[0].startsWith('-')) argv = (await import('../dist/cli/global-flags.js')).hoistGlobalFlags(argv)

// Shell completion (completions/*): answered before anything heavy loads.
if (argv[0] === '__complete') {
  ;(await import('../dist/cli/complete.js')).runComplete(argv.slice(1), new URL('../oclif.manifest.json', import.meta.url))
  process.exit(0)
}

// A newer release, when a check made at most once a day found one: said on stderr as the command ends. The check
// itself runs detached; only a person at a terminal gets it (see src/core/update/policy.ts).
if (process.stderr.isTTY && !('NO_UPDATE_NOTIFIER' in process.env)) {
  const {updateCheckWanted} = await import('../dist/core/update/policy.js')
  if (updateCheckWanted(process.env, argv, true)) {
    const line = (await import('../dist/core/update/notice.js')).updateNotice({name: pkg.name, version: pkg.version, env: process.env})
    if (line) process.on('exit', () => process.stderr.write(`\n${line}\n`))
  }
}

// `--version` answers before @oclif/core loads (that import alone costs several times `node -e 0`).
// Same rule and text as oclif: a version flag as the first argument prints the user agent.
if (argv.length === 1 && ['--version', ...(pkg.oclif?.additionalVersionFlags ?? [])].includes(argv[0])) {
  process.stdout.write(`${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else if (argv[0] === 'chat' && process.stdin.isTTY && process.stdout.isTTY && (await (await import('../dist/cli/chat/fast.js')).fastChat(argv.slice(1)))) {
  // `chat` on a terminal: its prompt comes up before @oclif/core loads (it loads for the slash commands that need it).
} else {
  // Compiled code only, even under NODE_ENV=test|development (a test runner sets it): oclif would otherwise map the
  // configured help class and hooks in dist/ to their .ts sources, which plain node cannot import. bin/dev.js runs src.
  globalThis.oclif = {...globalThis.oclif, enableAutoTranspile: false}
  const {flush, handle, run} = await import('@oclif/core')
  // oclif prints a stack for any error that is not its own; ours are one line unless DEBUG=git-pare* asks for more.
  try {
    await run(argv, import.meta.url)
    await flush()
  } catch (err) {
    if (err?.oclif || /git-pare/.test(process.env.DEBUG ?? '')) {
      await handle(err)
    } else {
      process.stderr.write(`error: ${err?.message || String(err)}\n`)
      if (err?.hint) process.stderr.write(`hint: ${err.hint}\n`)
      process.exit(typeof err?.exitCode === 'number' ? err.exitCode : 1)
    }
  }
}
