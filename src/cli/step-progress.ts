import type {StepEvent} from '../core/plan/step-runner.js'
import {neutraliseLine as one} from '../core/text/terminal.js'

// Step descriptions come from a plan anyone can push, tool summaries and verify output from the model's work:
// each field is one neutralised line. Our own marks (✓ ✗ ·) and listr2's renderer are added around them.

/** Plain progress lines on stderr (pipes, NO_COLOR, CI). */
export function plainStepPrinter(verbose?: boolean): (e: StepEvent) => void {
  return (e) => {
    switch (e.type) {
      case 'step_start':
        process.stderr.write(`step ${e.n}${e.attempt > 1 ? ` (retry ${e.attempt - 1})` : ''}: ${one(e.description)} [${one(e.route)}: ${one(e.model)}]\n`)
        break
      case 'agent':
        if (e.event.type === 'tool') process.stderr.write(`  ${e.event.ok ? '·' : '✗'} ${one(e.event.name)}: ${one(e.event.summary)}\n`)
        else if (verbose && e.event.type === 'request') process.stderr.write(`  → request ${e.event.n}: ${e.event.tokens} tokens\n`)
        break
      case 'verify':
        process.stderr.write(`  ${e.result.ok ? '✓' : '✗'} verify: ${one(e.result.summary)}\n`)
        break
      case 'step_end':
        process.stderr.write(e.ok ? `step ${e.n} done${e.commit ? ` (${e.commit.slice(0, 7)})` : ''}\n` : `step ${e.n} failed\n`)
        break
      case 'note':
        process.stderr.write(`note: ${one(e.message)}\n`)
        break
    }
  }
}

/** listr2 progress on a TTY: one task per step, its latest tool call as the task output. */
export async function withListr<T>(title: string, work: (onEvent: (e: StepEvent) => void) => Promise<T>): Promise<T> {
  const {Listr} = await import('listr2')
  let result: T | undefined
  const list = new Listr(
    [
      {
        title: one(title),
        task: async (_ctx, task) => {
          result = await work((e) => {
            if (e.type === 'step_start') task.title = `step ${e.n}${e.attempt > 1 ? ' (retry)' : ''}: ${one(e.description)} [${one(e.model)}]`
            else if (e.type === 'agent' && e.event.type === 'tool') task.output = `${one(e.event.name)}: ${one(e.event.summary)}`
            else if (e.type === 'verify') task.output = `verify: ${one(e.result.summary)}`
            else if (e.type === 'note') task.output = one(e.message)
          })
        },
      },
    ],
    {rendererOptions: {collapseErrors: false}, exitOnError: true},
  )
  await list.run()
  return result as T
}
