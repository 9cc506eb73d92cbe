/** Chat messages in the OpenAI chat-completions shape (what we send and keep in history). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool'
  content: string | null
  tool_calls?: ToolCall[]
  tool_call_id?: string
  /** Some providers require reasoning sent back; kept only then. */
  reasoning_content?: string
}

export interface ToolCall {
  id: string
  type: 'function'
  function: {name: string; arguments: string}
}

/** A tool schema as sent to the model. */
export interface ToolSchema {
  type: 'function'
  function: {name: string; description: string; parameters: Record<string, unknown>}
}

export interface ChatRequest {
  messages: ChatMessage[]
  tools?: ToolSchema[]
  /** Overrides the profile's model (routes, planner). */
  model?: string
  maxTokens?: number
  temperature?: number
  signal?: AbortSignal
  /** Ask for a JSON object answer (planner). */
  json?: boolean
}

export interface Usage {
  input: number
  output: number
  /** true when the provider reported it; false when we counted locally. */
  reported: boolean
  /** Input tokens served from the provider's prompt cache, when it said (priced at the cached rate). */
  cached?: number
}

/** A call the model tried to make whose arguments could not be parsed or repaired: answered with a tool error. */
export interface BadToolCall {
  call: ToolCall
  error: string
}

export interface ChatResponse {
  content: string
  toolCalls: ToolCall[]
  /** Tool calls whose arguments were unusable: the loop answers each with a tool error. */
  badToolCalls: BadToolCall[]
  reasoning?: string
  finishReason: 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'error' | string
  usage: Usage
  model: string
}

export type StreamEvent =
  | {type: 'content'; text: string}
  | {type: 'reasoning'; text: string}
  | {type: 'tool_call'; name: string}
  | {type: 'retry'; attempt: number; delayMs: number; reason: string}
  | {type: 'warning'; message: string}

/** What the agent, planner and context engine need from a model. */
export interface ModelClient {
  readonly model: string
  chat(req: ChatRequest, onEvent?: (e: StreamEvent) => void): Promise<ChatResponse>
  listModels(signal?: AbortSignal): Promise<string[]>
  /**
   * Whether assistant messages with tool calls must carry their reasoning back (`reasoning_content`) for this model:
   * a provider that requires it (DeepSeek's thinking mode), or a server that said so with a 400. Absent: never.
   */
  passesReasoningBack?(model?: string): boolean
}
