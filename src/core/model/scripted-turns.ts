/**
 * What the scripted model server answers, one `Turn` per chat request.
 *
 * A turn is plain data: build it with the `turn.*` helpers and add quirks by spreading,
 * e.g. `{...turn.tools([{name: 'read_file', args: {path: 'a.ts'}}]), fragment: 3, ids: 'none'}`.
 * Everything that real providers get wrong is a quirk here, so client tests can reproduce it.
 */

/** A tool call the scripted model makes. `args`: an object (sent as JSON text) or a raw string sent verbatim (e.g. '' or broken JSON). */
export interface ScriptedCall {
  name: string
  args?: unknown
  /** Defaults to `call_<turn>_<n>`. */
  id?: string
}

export interface Turn {
  /** Assistant text. */
  content?: string
  toolCalls?: ScriptedCall[]
  reasoning?: string
  /** How reasoning is sent: delta `reasoning_content` (DeepSeek, llama.cpp; default), `reasoning` (OpenRouter, Ollama), or `<think>…</think>` inline in content. */
  reasoningAs?: 'reasoning_content' | 'reasoning' | 'think'
  /**
   * Tool calls written as text in the content, as small models do: `<tool_call>{…}</tool_call>`, a ```json block with
   * name/arguments, Qwen3-Coder's `<tool_call><function=NAME><parameter=KEY>…` (`qwen_xml`; `qwen_xml_bare` without the
   * outer tag), Llama 3.1's `<function=NAME>{…}</function>`, or Mistral's `[TOOL_CALLS][{…}]` / `[TOOL_CALLS]NAME[ARGS]{…}`.
   */
  toolCallsAs?: 'calls' | 'tool_call_tags' | 'fenced_json' | 'qwen_xml' | 'qwen_xml_bare' | 'function_json' | 'mistral' | 'mistral_args'
  /** Usage to report; false: none at all. Default: chars/4 of the request and the answer, when the request asked for usage (or always, non-streaming). */
  usage?: {prompt_tokens: number; completion_tokens: number} | false
  /** Where streamed usage goes: a last chunk with empty `choices` (default, like OpenAI) or on the finish chunk. */
  usageIn?: 'last-chunk' | 'finish-chunk'
  /** Model name echoed in chunks (default: the requested one). */
  model?: string

  // ---- stream shape quirks (streaming requests) ----
  /** Content and reasoning are sent in deltas of this many characters (default 16). */
  textChunk?: number
  /** Tool-call arguments are sent in fragments of this many characters (default: whole, one chunk per call). */
  fragment?: number
  /** All calls, whole, in one delta (overrides `fragment`). */
  callsInOneChunk?: boolean
  /** Where the call `id` appears: first fragment only (default), every fragment, a different id on every fragment, or never. */
  ids?: 'first' | 'every' | 'changing' | 'none'
  /** Where the call `index` appears: every fragment (default), first fragment only, or never. */
  indexes?: 'every' | 'first' | 'none'
  /** Arguments sent as a JSON object instead of a string (one chunk per call). */
  argsAsObject?: boolean
  /** Fragments of several calls alternate. */
  interleave?: boolean
  /** finish_reason to send (default 'tool_calls' when calls were made, else 'stop'); null: no finish chunk at all. */
  finishReason?: string | null
  /** SSE comment lines (`: keep-alive`) and stray blank lines between events. */
  comments?: boolean
  /**
   * Keep-alives in other forms: `ping` (`: ping` and `:ping` lines, `event: ping` events), `inside_event` (comment
   * lines between the data lines of one event, its JSON split over several data lines), `rewrapped` (what proxies
   * make of comments: `data: : keep-alive`, `data: ping`, an empty `data:`).
   */
  keepAlive?: 'ping' | 'inside_event' | 'rewrapped'
  /**
   * After a call's fragments, send its whole arguments again in one more delta, as LiteLLM and other proxies do:
   * `same` text, `with_name` (id, name and arguments again), `reformatted` (other spacing), `double_encoded` (a JSON
   * string of the JSON), `object` (as an object).
   */
  repeatArgs?: 'same' | 'with_name' | 'reformatted' | 'double_encoded' | 'object'
  /** Ollama's silent truncation: the prompt is cut to this many tokens and usage reports only those (chars/4 count). */
  contextSize?: number
  /** Send `data: [DONE]` at the end (default true). */
  done?: boolean
  /** Write each SSE event in pieces of this many bytes, so events straddle network reads. */
  byteChunk?: number
  /** End the response cleanly after this many data events, before any finish_reason. */
  cutAfter?: number
  /** Stop sending for `stallMs` after `stallAfter` data events (default 1). */
  stallMs?: number
  stallAfter?: number
  /** Send an error object as a data event after `errorAfter` events (default 1), then end. */
  errorMidStream?: {message: string; type?: string; code?: string | number | null}
  errorAfter?: number
  /** Data events sent verbatim right after the first chunk (e.g. a line that is not JSON). */
  rawEvents?: string[]
  /** Reset the TCP connection after this many data events (0: before any response). */
  resetAfter?: number
  /**
   * Never finish: keep sending until the client goes away (for the response byte caps). `content` / `reasoning` /
   * `tool_args` (one write_file call whose arguments never close): deltas of `endlessChunk` characters;
   * `empty_deltas`: chunks with no text; `comments`: keep-alive lines; `one_line`: one data line that never ends;
   * `whole_json`: a non-streamed completion whose content never ends. The server's `sentBytes()` says how much went out.
   */
  endless?: 'content' | 'reasoning' | 'tool_args' | 'empty_deltas' | 'comments' | 'one_line' | 'whole_json'
  /** Characters per endless piece (default 65536). */
  endlessChunk?: number

  // ---- whole-response behaviour (streaming or not) ----
  /** Answer a streaming request with a whole JSON completion, as some proxies do. */
  ignoreStream?: boolean
  /** Wait this long before sending headers. */
  delayMs?: number
  /** Answer with this HTTP status and body instead of a completion. */
  status?: number
  body?: unknown
  headers?: Record<string, string>
}

/** Decides the answer to the n-th chat request (0-based): a list consumed in order, or a function. */
export type Policy = Turn[] | ((req: RecordedRequest, index: number) => Turn | Promise<Turn>)

/** One request the server received, as received. */
export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string>
  /** Parsed JSON body (undefined when empty or not JSON). */
  body: any
  raw: string
}

type Extra = Partial<Turn>

const openAiError = (message: string, type: string, code: string | null, param: string | null = null) => ({error: {message, type, param, code}})

/** Builders for common turns; each takes optional extra fields (quirks) to merge. */
export const turn = {
  /** A plain text answer. */
  text: (content: string, extra: Extra = {}): Turn => ({content, ...extra}),
  /** One or more tool calls, optionally with text before them. */
  tools: (calls: ScriptedCall[], extra: Extra = {}): Turn => ({toolCalls: calls, ...extra}),
  /** Reasoning followed by an answer. */
  reasoning: (reasoning: string, content: string, extra: Extra = {}): Turn => ({reasoning, content, ...extra}),
  /** Any HTTP error answer. */
  http: (status: number, body: unknown, headers?: Record<string, string>): Turn => ({status, body, headers}),
  /** 429 with an optional Retry-After (seconds or an HTTP date). */
  rateLimited: (retryAfter?: number | string): Turn => ({
    status: 429,
    body: openAiError('Rate limit reached, please try again later.', 'rate_limit_error', 'rate_limit_exceeded'),
    headers: retryAfter === undefined ? undefined : {'retry-after': String(retryAfter)},
  }),
  /** 5xx. */
  serverError: (status = 500, message = 'internal server error'): Turn => ({status, body: openAiError(message, 'server_error', null)}),
  /** 401 (or 403) bad key. */
  unauthorized: (status = 401): Turn => ({status, body: openAiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key')}),
  /** 404 for an unknown model, worded like OpenAI or Ollama. */
  modelNotFound: (model: string, wording: 'openai' | 'ollama' = 'openai'): Turn => ({
    status: 404,
    body:
      wording === 'openai'
        ? openAiError(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found')
        : openAiError(`model "${model}" not found, try pulling it first`, 'api_error', null),
  }),
  /** Context length exceeded as OpenAI, vLLM (old and new), llama.cpp (400 and 500) or Ollama word it; see contextError. */
  contextExceeded: (wording: ContextWording = 'openai', window?: number, prompt?: number): Turn => contextError(wording, window, prompt),
  /** 429 for a spent quota or an unpaid bill: OpenAI's insufficient_quota, a billing message, or OpenRouter's 402. */
  quotaExceeded: (wording: 'openai' | 'billing' | 'credits' = 'openai'): Turn =>
    wording === 'openai'
      ? {status: 429, body: openAiError('You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.', 'insufficient_quota', 'insufficient_quota')}
      : wording === 'billing'
        ? {status: 429, body: openAiError('Your account has reached its billing limit for this month.', 'requests', 'billing_hard_limit_reached')}
        : {status: 402, body: {error: {message: 'Insufficient credits. This request requires more credits, or fewer max_tokens.', code: 402}}},
  /** A 400 asking for the reasoning of earlier tool-call turns, worded like DeepSeek or Moonshot. */
  reasoningRequired: (wording: 'deepseek' | 'deepseek-index' | 'kimi' = 'deepseek'): Turn => ({
    status: 400,
    body: openAiError(
      wording === 'deepseek'
        ? 'The reasoning_content in the thinking mode must be passed back to the API.'
        : wording === 'deepseek-index'
          ? 'Missing `reasoning_content` field in the assistant message at message index 2. For more information, please refer to https://api-docs.deepseek.com/guides/thinking_mode#tool-calls'
          : 'thinking is enabled but reasoning_content is missing in assistant tool call message at index 2',
      'invalid_request_error',
      'invalid_request_error',
    ),
  }),
  /** Connection reset before any answer. */
  reset: (): Turn => ({resetAfter: 0}),
}

/** Context-length errors as servers word them; `window` is the context the server runs. */
export function contextError(wording: ContextWording, window = 8192, prompt = 9120): Turn {
  switch (wording) {
    case 'openai':
      return {status: 400, body: openAiError(`This model's maximum context length is ${window} tokens. However, your messages resulted in ${prompt} tokens. Please reduce the length of the messages.`, 'invalid_request_error', 'context_length_exceeded', 'messages')}
    case 'vllm':
      // Older vLLM: the error object at the top level, no `error` wrapper.
      return {status: 400, body: {object: 'error', message: `This model's maximum context length is ${window} tokens. However, you requested ${prompt + 1000} tokens (${prompt} in the messages, 1000 in the completion). Please reduce the length of the messages or completion.`, type: 'BadRequestError', param: null, code: 400}}
    case 'vllm-new':
      return {status: 400, body: {error: {message: `This model's maximum context length is ${window} tokens. However, your request has ${prompt} input tokens. Please reduce the length of the input messages. None`, type: 'BadRequestError', param: null, code: 400}}}
    case 'vllm-max-tokens':
      return {status: 400, body: {error: {message: `'max_tokens' or 'max_completion_tokens' is too large: 8192. This model's maximum context length is ${window} tokens and your request has ${prompt} input tokens (8192 > ${window} - ${prompt}). None`, type: 'BadRequestError', param: null, code: 400}}}
    case 'llamacpp':
      return {status: 400, body: {error: {code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: prompt, n_ctx: window}}}
    case 'llamacpp-500':
      return {status: 500, body: {error: {code: 500, message: 'the request exceeds the available context size. try increasing the context size or enable context shift', type: 'server_error'}}}
    case 'ollama':
      return {status: 400, body: openAiError(`prompt too long; exceeded max context length by ${Math.max(1, prompt - window)} tokens`, 'api_error', null)}
  }
}

export type ContextWording = 'openai' | 'vllm' | 'vllm-new' | 'vllm-max-tokens' | 'llamacpp' | 'llamacpp-500' | 'ollama'
