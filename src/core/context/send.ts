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
 * Fit the history, send, and on a context-length error run one tighter budget pass and send
 * again; a second overflow is thrown. `send` is the model call (the loop's, with its tools and signal).
 */
export async function sendWithinBudget<T>(
  history: History,
  opts: BudgetOptions,
  send: (messages: ChatMessage[]) => Promise<T>,
  isOverflow: (err: unknown) => boolean = (err) => err instanceof ContextLengthError,
): Promise<BudgetedReply<T>> {
  const first = fitToBudget(history, opts)
  try {
    return {response: await send(first.messages), stats: first.stats, opts, retried: false}
  } catch (err) {
    if (!isOverflow(err)) throw err
  }
  const tight = tighten(opts)
  const second = fitToBudget(history, tight)
  return {response: await send(second.messages), stats: second.stats, opts: tight, retried: true}
}
