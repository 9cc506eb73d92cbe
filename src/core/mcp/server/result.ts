import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js'
import type {CliOutcome} from './cli-call.js'

/**
 * A CLI outcome as an MCP tool result: the --json envelope as structuredContent and, compact, as text (clients that
 * ignore structuredContent read that). An error envelope is a tool error whose text is the CLI's one line and hint.
 * A result with a non-zero status (a run stopped early, a step that failed its check) is a result: the status says so.
 */
export function toToolResult(name: string, out: CliOutcome): CallToolResult {
  const env = out.envelope
  if (out.interrupted) {
    const why = env?.error?.message ?? 'interrupted'
    return {isError: true, content: [{type: 'text', text: `cancelled: ${why} (anything it changed is checkpointed: undo restores it)`}], ...(env ? {structuredContent: {...env}} : {})}
  }
  if (!env) {
    const last = out.stderr.trim().split('\n').at(-1) ?? ''
    return {isError: true, content: [{type: 'text', text: `error: git pare ${name} exited ${out.code} without a result${last ? `: ${last}` : ''}`}]}
  }
  if (env.error) {
    const text = `error: ${env.error.message}${env.error.hint ? `\nhint: ${env.error.hint}` : ''}`
    return {isError: true, content: [{type: 'text', text}], structuredContent: {...env}}
  }
  return {content: [{type: 'text', text: JSON.stringify(env)}], structuredContent: {...env}}
}
