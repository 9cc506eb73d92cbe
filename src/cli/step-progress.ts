import type {StepEvent} from '../core/plan/step-runner.js'
import {neutraliseLine as one} from '../core/text/terminal.js'

// Step descriptions come from a plan anyone can push, tool summaries and verify output from the model's work:
// each field is one neutralised line. Our own marks (✓ ✗ ·) and listr2's renderer are added around them.

const toolLine = (e: Extract<StepEvent, {type: 'agent'}>['event']) => (e.type === 'tool' ? `${e.ok ? '·' : '✗'} ${one(e.name)}: ${one(e.summary)}` : undefined)

/** Plain progress lines on stderr (pipes, NO_COLOR, CI). Steps running at once (--jobs) prefix their lines with the step. */
export function plainStepPrinter(verbose?: boolean): (e: StepEvent) => void {
  let at = (_n: number) => '  '
  return (e) => {
    switch (e.type) {
      case 'step_start':
        process.stderr.write(`step ${e.n}${e.attempt > 1 ? ` (retry ${e.attempt - 1})` : ''}: ${one(e.description)} [${one(e.route)}: ${one(e.model)}]\n`)
        break
      case 'agent':
        if (e.event.type === 'tool') process.stderr.write(`${at(e.n)}${toolLine(e.event)}\n`)
        else if (verbose && e.event.type === 'request') process.stderr.write(`${at(e.n)}→ request ${e.event.n}: ${e.event.tokens} tokens\n`)
        break
      case 'verify':
        process.stderr.write(`${at(e.n)}${e.result.ok ? '✓' : '✗'} verify: ${one(e.result.summary)}\n`)
        break
      case 'queued':
        if (e.jobs > 1) at = (n) => `  [${n}] `
        process.stderr.write(`running steps ${e.steps.map((s) => s.n).join(', ')}, up to ${e.jobs} at once, each in its own worktree\n`)
        break
      case 'skipped':
        process.stderr.write(`step ${e.n} not run: ${one(e.reason)}\n`)
        break
      case 'integrated':
        process.stderr.write(e.ok ? `step ${e.n} integrated${e.commit ? ` (${e.commit.slice(0, 7)})` : ''}\n` : `step ${e.n} not integrated${e.conflict ? `: conflict in ${e.conflict.map(one).join(', ')}` : ''}\n`)
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

type Task = {title: string; output: string}

/** One step on the terminal: its own listr2 task, settled by its step_end (or by the run ending without one). */
class StepView {
  title: string
  readonly lines: string[] = []
  private task?: Task
  private settle!: {ok: () => void; fail: (e: Error) => void}
  readonly done = new Promise<void>((ok, fail) => (this.settle = {ok, fail}))

  constructor(readonly n: number, title: string) {
    this.title = title
    // Settled before its list gets to run (a step that fails at once): not an unhandled rejection.
    this.done.catch(() => undefined)
  }

  bind(task: Task): void {
    this.task = task
    task.title = this.title
    if (this.lines.length) task.output = this.lines.at(-1)!
  }

  retitle(title: string): void {
    this.title = title
    if (this.task) this.task.title = title
  }

  line(text: string): void {
    this.lines.push(text)
    if (this.task) this.task.output = text
  }

  /** A step that will not run ends skipped, with why. */
  skip(why: string): void {
    this.skipped = why
    this.settle.ok()
  }

  skipped?: string

  /** A failed step keeps every line it printed under its ✖, so what was tried stays on screen. */
  end(ok: boolean, why?: string): void {
    if (ok) this.settle.ok()
    else this.settle.fail(new Error([why ?? `step ${this.n} failed`, ...this.lines].join('\n')))
  }
}

/**
 * listr2 progress on a TTY: one task per step, titled with the step (and "(retry)"), showing its latest tool call
 * while it runs. A step that passes ends ✔; one that fails ends ✖ with its tool and verify lines left on screen.
 * Each step's list starts once the previous one has finished drawing, so two renderers never share the screen.
 */
export async function withListr<T>(work: (onEvent: (e: StepEvent) => void) => Promise<T>): Promise<T> {
  const {Listr} = await import('listr2')
  let view: StepView | undefined
  let drawn: Promise<unknown> = Promise.resolve()
  const open = (n: number, title: string) => {
    const v = new StepView(n, title)
    // Our Ctrl+C handler interrupts the run; listr2's own would exit the process at once (status 127).
    const list = new Listr([{title, task: async (_ctx, task) => (v.bind(task), v.done)}], {rendererOptions: {collapseErrors: false}, exitOnError: false, registerSignalListeners: false})
    drawn = drawn.then(() => list.run().catch(() => undefined))
    return v
  }
  const onEvent = (e: StepEvent) => {
    if (e.type === 'step_start') {
      const title = `step ${e.n}${e.attempt > 1 ? ' (retry)' : ''}: ${one(e.description)} [${one(e.model)}]`
      if (view?.n === e.n) view.retitle(title)
      else {
        view?.end(false)
        view = open(e.n, title)
      }
      if (e.attempt > 1) view.line(`retry ${e.attempt - 1}`)
    } else if (e.type === 'note') {
      if (view) view.line(`note: ${one(e.message)}`)
      else process.stderr.write(`note: ${one(e.message)}\n`)
    } else if (!view) return
    else if (e.type === 'agent') {
      const l = toolLine(e.event)
      if (l) view.line(l)
    } else if (e.type === 'verify') view.line(`${e.result.ok ? '✓' : '✗'} verify: ${one(e.result.summary)}`)
    else if (e.type === 'step_end') {
      view.end(e.ok, e.ok ? undefined : `step ${e.n} failed its check`)
      view = undefined
    }
  }
  try {
    return await work(onEvent)
  } catch (err) {
    view?.end(false, `step ${view.n} stopped: ${one(err instanceof Error ? err.message : String(err))}`)
    throw err
  } finally {
    // A run that ends without a step_end (interrupted mid-step) never shows that step as passed.
    view?.end(false, `step ${view.n} did not finish`)
    await drawn
  }
}

/**
 * listr2 progress for `--jobs N`: one line per step of the run, all in one list drawn at once (concurrent tasks), each
 * showing its latest tool call while it runs. A step ends ✔ once integrated into the plan's branch, ✖ when its check
 * failed or its result conflicted (with its lines), skipped when it waits for one that did not pass. Notes that come
 * while the list is drawn are printed after it.
 */
export async function withParallelListr<T>(work: (onEvent: (e: StepEvent) => void) => Promise<T>): Promise<T> {
  const {Listr} = await import('listr2')
  const views = new Map<number, StepView>()
  const later: string[] = []
  let drawn: Promise<unknown> | undefined
  const onEvent = (e: StepEvent) => {
    if (e.type === 'queued') {
      for (const s of e.steps) views.set(s.n, new StepView(s.n, `step ${s.n}: ${one(s.description)}`))
      for (const v of views.values()) v.line('waiting')
      const tasks = [...views.values()].map((v) => ({
        title: v.title,
        task: async (_ctx: unknown, task: Task & {skip(m: string): void}) => {
          v.bind(task)
          await v.done
          if (v.skipped) task.skip(v.skipped)
        },
      }))
      drawn = new Listr(tasks, {concurrent: true, exitOnError: false, rendererOptions: {collapseErrors: false}, registerSignalListeners: false}).run().catch(() => undefined)
      return
    }
    if (e.type === 'note') {
      if (drawn) later.push(`note: ${one(e.message)}`)
      else process.stderr.write(`note: ${one(e.message)}\n`)
      return
    }
    const v = views.get(e.n)
    if (!v) return
    if (e.type === 'step_start') {
      v.retitle(`step ${e.n}${e.attempt > 1 ? ' (retry)' : ''}: ${one(e.description)} [${one(e.model)}]`)
      v.line(e.attempt > 1 ? `retry ${e.attempt - 1}` : 'started')
    } else if (e.type === 'agent') {
      const l = toolLine(e.event)
      if (l) v.line(l)
    } else if (e.type === 'verify') v.line(`${e.result.ok ? '✓' : '✗'} verify: ${one(e.result.summary)}`)
    else if (e.type === 'step_end') {
      if (e.ok) v.line('passed its check; integrating in plan order')
      else v.end(false, `step ${e.n} failed its check`)
    } else if (e.type === 'integrated') {
      if (e.ok) v.end(true)
      else v.end(false, e.conflict ? `step ${e.n} conflicts with the steps before it in ${e.conflict.map(one).join(', ')}` : `step ${e.n} was not integrated`)
    } else if (e.type === 'skipped') v.skip(one(e.reason))
  }
  try {
    return await work(onEvent)
  } finally {
    for (const v of views.values()) v.end(false, `step ${v.n} did not finish`)
    await drawn
    for (const l of later) process.stderr.write(`${l}\n`)
  }
}
