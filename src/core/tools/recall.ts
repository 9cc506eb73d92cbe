import {defineTool, toolError} from './define.js'

export interface RecallArgs {
  tool_call_id?: string
  tool_name?: string
}

export default defineTool<RecallArgs>({
  name: 'recall',
  description: 'Get back the full result of an earlier tool call that was shortened, by id or latest of a tool name.',
  parameters: {
    type: 'object',
    properties: {
      tool_call_id: {type: 'string'},
      tool_name: {type: 'string'},
    },
  },
  async run(args, ctx) {
    const id = args.tool_call_id?.trim() || undefined
    const name = args.tool_name?.trim() || undefined
    if (!id && !name) return toolError('give tool_call_id or tool_name')
    const q = {...(id ? {tool_call_id: id} : {}), ...(name ? {tool_name: name} : {})}
    const found = ctx.recall?.(q)
    if (!found) {
      const what = id ? `call ${id}` : `a ${name} call`
      return toolError(`no stored result for ${what}; results not shortened are still above, else run the tool again`, `recall ${id ?? name}: not found`)
    }
    return {content: `[result of ${found.name} call ${found.id}]\n${found.content}`, summary: `recall ${found.name} ${found.id}`, ok: true}
  },
})
