/**
 * Global flags written before the command, as git users do (`git pare --json log`, `git pare -v log`):
 * oclif only reads flags after the command id, so they are moved there. `-v`/`--version` alone still
 * prints the version. Only flags every command has are moved; anything else is left for oclif to judge.
 */
const GLOBAL = new Set(['--json', '-v', '--verbose'])

export function hoistGlobalFlags(argv: readonly string[]): string[] {
  let i = 0
  while (i < argv.length && GLOBAL.has(argv[i]!)) i++
  if (i === 0 || i === argv.length) return [...argv]
  const lead = argv.slice(0, i).map((f) => (f === '-v' ? '--verbose' : f))
  const rest = argv.slice(i)
  // Before a `--`, so that what follows it stays the command's own arguments.
  const end = rest.indexOf('--')
  const at = end === -1 ? rest.length : end
  return [...rest.slice(0, at), ...new Set(lead), ...rest.slice(at)]
}
