/**
 * When git-pare looks for a newer version of itself: at most once a day, only for a person at a terminal,
 * never in CI, never with NO_UPDATE_NOTIFIER (the convention npm tools share), and never with --json.
 */
export const CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000

export function updateCheckWanted(env: Record<string, string | undefined>, argv: readonly string[], stderrIsTTY: boolean): boolean {
  if (!stderrIsTTY) return false
  if ('NO_UPDATE_NOTIFIER' in env || env.NODE_ENV === 'test') return false
  // The variables CI services set (the same list is-ci and update-notifier honour, in short).
  if (env.CI && env.CI !== 'false') return false
  if (env.CONTINUOUS_INTEGRATION || env.BUILD_NUMBER || env.RUN_ID || env.GITHUB_ACTIONS || env.GITLAB_CI) return false
  // Not for machine-read output, the version itself, the MCP server or completions (`__complete`).
  if (argv.length === 1 && ['-v', '--version'].includes(argv[0]!)) return false
  if (argv[0]?.startsWith('__') || argv[0] === 'mcp' || argv[0] === 'completion') return false
  return !argv.includes('--json') && !argv.includes('--version')
}

/** `a` is newer than `b`: plain x.y.z releases only; a pre-release or anything malformed is never "newer". */
export function isNewer(a: string, b: string): boolean {
  const parse = (v: string) => (/^\d{1,9}\.\d{1,9}\.\d{1,9}$/.test(v) ? v.split('.').map(Number) : undefined)
  const x = parse(a)
  const y = parse(b.replace(/-.*$/, ''))
  if (!x || !y) return false
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! > y[i]!
  return false
}
