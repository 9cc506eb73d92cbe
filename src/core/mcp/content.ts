// What an MCP tool returns, as the text our tool results are. Images, audio and binary resources become one line
// each until images are supported; text (including a text resource's) is kept as it is.

interface ContentItem {
  type: string
  text?: string
  data?: string
  mimeType?: string
  uri?: string
  name?: string
  resource?: {uri?: string; mimeType?: string; text?: string; blob?: string}
}

/** An MCP `tools/call` result, as far as we read it. */
export interface McpCallResult {
  content?: ContentItem[]
  structuredContent?: unknown
  isError?: boolean
  /** Old servers: `toolResult` instead of content. */
  toolResult?: unknown
}

/** Bytes of base64 data without decoding it. */
export function base64Bytes(data: string): number {
  const s = data.replace(/\s+/g, '')
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0
  return Math.max(0, Math.floor((s.length * 3) / 4) - pad)
}

function itemText(c: ContentItem): string {
  switch (c.type) {
    case 'text':
      return c.text ?? ''
    case 'image':
    case 'audio':
      return `[${c.type} ${c.mimeType ?? 'unknown type'}, ${base64Bytes(c.data ?? '')} bytes]`
    case 'resource': {
      const r = c.resource ?? {}
      const head = `[resource ${r.uri ?? '?'}${r.mimeType ? ` ${r.mimeType}` : ''}`
      if (typeof r.text === 'string') return `${head}]\n${r.text}`
      return `${head}, ${base64Bytes(r.blob ?? '')} bytes]`
    }
    case 'resource_link':
      return `[resource link ${c.uri ?? '?'}${c.name ? ` (${c.name})` : ''}${c.mimeType ? ` ${c.mimeType}` : ''}]`
    default:
      return `[${String(c.type).slice(0, 40)} content]`
  }
}

/** The text of a call result: its content items in order, else its structured content as JSON. */
export function resultText(r: McpCallResult): string {
  const parts = (r.content ?? []).map(itemText).filter((t) => t !== '')
  if (parts.length) return parts.join('\n')
  if (r.structuredContent !== undefined) return JSON.stringify(r.structuredContent)
  if (r.toolResult !== undefined) return typeof r.toolResult === 'string' ? r.toolResult : JSON.stringify(r.toolResult)
  return '(no output)'
}
