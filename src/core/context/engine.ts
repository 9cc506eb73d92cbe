import type {ChatMessage, ToolSchema} from '../model/types.js'
import {budgetFor, DEFAULT_KEEP_RECENT, type BudgetOptions, type BudgetStats} from './budget.js'
import {History, type HistoryInit} from './history.js'
import {LoopGuard} from './loop-guard.js'
import {ReadCache} from './read-cache.js'
import {sendWithinBudget, type BudgetedReply} from './send.js'
import {loadTokenCounter, type TokenCounter} from './tokenizer.js'

export interface ContextEngineInit extends HistoryInit {
  /** The profile's context_window, budget_fraction and tokenizer. */
  contextWindow: number
  budgetFraction?: number
  tokenizer?: string
  /** Tool schemas sent with every request (counted against the budget). */
  tools?: readonly ToolSchema[]
  keepRecent?: number
  /** A counter already loaded (tests, or several runs in one process). */
  counter?: TokenCounter
}

/** One run's context, wired together: history, budget, read cache and loop guard share what is still in view. */
export interface ContextEngine {
  readonly history: History
  readonly counter: TokenCounter
  /** Pass as ToolContext.readCache. */
  readonly readCache: ReadCache
  readonly guard: LoopGuard
  /** Current budget options; replaced by tighter ones after the server reports a context-length error. */
  budget: BudgetOptions
  /** Fit, send, and retry once tighter on a context-length error (see sendWithinBudget). */
  send<T>(send: (messages: ChatMessage[], stats: BudgetStats) => Promise<T>): Promise<BudgetedReply<T>>
  /** Matches ToolContext.recall. */
  recall: History['recall']
}

/** Build the context of a run from the profile's figures. */
export async function createContextEngine(init: ContextEngineInit): Promise<ContextEngine> {
  const counter = init.counter ?? (await loadTokenCounter(init.tokenizer))
  const history = new History(init)
  const visible = (id: string): boolean => history.isWhole(id)
  const engine: ContextEngine = {
    history,
    counter,
    readCache: new ReadCache({visible}),
    guard: new LoopGuard({visible}),
    budget: {budgetTokens: budgetFor(init.contextWindow, init.budgetFraction), keepRecent: init.keepRecent ?? DEFAULT_KEEP_RECENT, counter, tools: init.tools},
    async send(send) {
      const reply = await sendWithinBudget(history, engine.budget, send)
      engine.budget = reply.opts
      return reply
    },
    recall: (q) => history.recall(q),
  }
  return engine
}
