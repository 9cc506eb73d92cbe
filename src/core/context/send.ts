import {ContextLengthError} from '../errors/model-error.js'
import type {ChatMessage} from '../model/types.js'
import {fitToBudget, tighten, type BudgetOptions, type BudgetStats} from './budget.js'
import type {History} from './history.js'

export interface BudgetedReply<T> {
  response: T
  stats: BudgetStats
  /** The options to use from now on: tightened once the server said the context was too long (its real window is smaller than the profile says). */
  opts: BudgetOptions
  /** true when the first attempt overflowed and a tighter pass was sent. */
  retried: boolean
}

/**
 * Fit the history, send, and on a context-length error run one tighter budget pass (to the window the server
 * named, when it did) and send again. The identical request is never sent twice: when the tighter pass cannot
 * shrink it, or the retry overflows too, a one-line ContextLengthError names the request's size and the window.
 * `send` is the model call (the loop's, with its tools and signal).
 */
export async function sendWithinBudget<T>(
  history: History,
  opts: BudgetOptions,
  send: (messages: ChatMessage[], stats: BudgetStats) => Promise<T>,
  isOverflow: (err: unknown) => boolean = (err) => err instanceof ContextLengthError,
): Promise<BudgetedReply<T>> {
  const first = fitToBudget(history, opts)
  let overflow: unknown
  try {
    return {response: await send(first.messages, first.stats), stats: first.stats, opts, retried: false}
  } catch (err) {
    if (!isOverflow(err)) throw err
    overflow = err
  }
  const seen = infoOf(overflow)
  const tight = tighten(opts, seen, first.stats.after)
  const second = fitToBudget(history, tight)
  // Same messages may still make a new request when the server showed a smaller window: the client fits the answer's room to it.
  const narrower = seen.window !== undefined && seen.assumedWindow !== undefined && seen.window < seen.assumedWindow
  if (!narrower && JSON.stringify(second.messages) === JSON.stringify(first.messages)) throw doesNotFit(overflow, first.stats)
  try {
    return {response: await send(second.messages, second.stats), stats: second.stats, opts: tight, retried: true}
  } catch (err) {
    if (!isOverflow(err)) throw err
    throw doesNotFit(err, second.stats)
  }
}

const infoOf = (err: unknown) => (err instanceof ContextLengthError ? err.info : {})

/** The final word on a request that does not fit: one line naming its size and the window, with what to do. */
export function doesNotFit(err: unknown, stats: BudgetStats): ContextLengthError {
  const info = infoOf(err)
  const tokens = info.serverPrompt ?? info.sentPrompt ?? stats.after
  const window = info.window ?? info.assumedWindow
  const said = info.window !== undefined
  const where = window === undefined ? "the model's context window (its size unknown: the server did not say)" : `the model's context window (${window} tokens${said ? '' : ', as the profile says'})`
  const smaller = info.window !== undefined && info.assumedWindow !== undefined && info.window < info.assumedWindow
  const hint = smaller
    ? `the server runs a ${info.window}-token context, smaller than the profile's ${info.assumedWindow}: give it a larger context, or set context_window: ${info.window} and give a smaller task`
    : 'give a smaller task (fewer or smaller files), or use a model with a larger context and set context_window in the profile'
  return new ContextLengthError(`the request (~${tokens} tokens) exceeds ${where}`, err, {...info, hint})
}
