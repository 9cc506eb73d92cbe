import {git} from '../store/git.js'
import type {Verification} from './schema.js'

export interface VerifyResult {
  ok: boolean
  /** One line for the step commit trailer and the log. */
  summary: string
  /** What the model sees on a retry (capped). */
  output: string
}

export interface VerifyDeps {
  root: string
  /** Repo-relative paths changed since the step's checkpoint. */
  changed: string[]
  /**
   * Of those, new files no edit tool of the step wrote (test caches, build output, what a command left behind):
   * they do not make a step count as having changed something, unless the check names that very file.
   */
  artifacts?: string[]
  /** Run a shell command in the repo (hook runner); returns exit code and capped output. */
  runCommand: (command: string) => Promise<{code: number; output: string; timedOut?: boolean}>
  /** The project's build/type check command when verify is build_success without one. */
  buildCommand?: string
  signal?: AbortSignal
}

/** Run a step's verification deterministically: no model involved. */
export async function verifyStep(v: Verification, deps: VerifyDeps): Promise<VerifyResult> {
  switch (v.type) {
    case 'none':
      return {ok: true, summary: 'none', output: ''}
    case 'file_changed': {
      // "./src/", "src" and "src/" name the same folder; "." or "" the whole repository.
      const target = (v.path ?? '').replace(/^(\.\/)+/, '').replace(/\/+$/, '')
      const whole = target === '' || target === '.'
      const left = new Set(deps.artifacts ?? [])
      const within = (p: string) => whole || p === target || p.startsWith(`${target}/`)
      const ok = deps.changed.some((p) => within(p) && (p === target || !left.has(p)))
      const what = whole ? 'any file' : target
      const onlyLeft = !ok && deps.changed.some(within)
      return ok
        ? {ok, summary: `file_changed ${what}: yes`, output: ''}
        : {
            ok,
            summary: `file_changed ${what}: no${onlyLeft ? ' (only files left by commands)' : ''}`,
            output: `Verification failed: ${what} was not changed${onlyLeft ? `; new files that appeared without an edit (${cap(deps.changed.filter((p) => within(p) && left.has(p)), 5).split('\n').join(', ')}) do not count` : ''}. Make the change the instruction asks for.`,
          }
    }
    case 'pattern_absent': {
      const args = ['grep', '-n', '-I', '--untracked', '--exclude-standard', '-E', '-e', v.pattern]
      if (v.path) args.push('--', v.path)
      const res = await git(args, {cwd: deps.root, allowFail: true, signal: deps.signal})
      const hits = res.stdout.split('\n').filter(Boolean)
      if (res.code > 1) return {ok: false, summary: `pattern_absent: bad pattern`, output: `Verification could not run: ${res.stderr.trim().split('\n')[0]}`}
      return hits.length === 0
        ? {ok: true, summary: `pattern_absent /${v.pattern}/: 0 left`, output: ''}
        : {ok: false, summary: `pattern_absent /${v.pattern}/: ${hits.length} left`, output: `Verification failed: /${v.pattern}/ still matches ${hits.length} line(s):\n${cap(hits.map((h) => h.slice(0, 200)), 20)}`}
    }
    case 'command_success':
    case 'build_success': {
      const command = v.type === 'command_success' ? v.command : (v.command ?? deps.buildCommand)
      if (!command) return {ok: true, summary: 'build_success: no build command detected, skipped', output: ''}
      const res = await deps.runCommand(command)
      const label = `${v.type === 'command_success' ? 'command' : 'build'} \`${command}\``
      if (res.code === 0 && !res.timedOut) return {ok: true, summary: `${label}: exit 0`, output: ''}
      return {ok: false, summary: `${label}: ${res.timedOut ? 'timed out' : `exit ${res.code}`}`, output: `Verification failed: ${label} ${res.timedOut ? 'timed out' : `exited ${res.code}`}:\n${res.output.trim()}`}
    }
  }
}

function cap(lines: string[], n: number): string {
  return lines.length <= n ? lines.join('\n') : `${lines.slice(0, n).join('\n')}\n… ${lines.length - n} more`
}
