import {z} from 'zod/v4'

// The tools `git pare mcp` offers. Descriptions and schemas are read by the calling model on every request: each is
// a line, each parameter a word or two. Arguments are untrusted: ids and checkpoints are checked against a pattern
// that cannot start with '-', positional text goes after `--`, and nothing here picks a profile, a model, an endpoint,
// an approval mode or `--force`/`--yes`: those stay the user's, on the command line.

/** One MCP tool: its schema and the `git pare` command line its arguments become. */
export interface ServerTool {
  name: string
  description: string
  readOnly: boolean
  input: z.ZodObject
  argv(args: Record<string, unknown>): string[]
}

// Plan and session ids are `20260101-120000-abcd`; a pattern anyway, since they come from the caller.
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'an id: letters, digits, . _ -')
// A checkpoint number, ref or commit, as `git pare diff` takes it.
const checkpoint = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/^~-]{0,199}$/, 'a checkpoint number, ref or commit')
const task = z.string().trim().min(1).max(20_000)

const flag = (name: string, on: unknown) => (on ? [`--${name}`] : [])
const value = (name: string, v: unknown) => (v === undefined ? [] : [`--${name}=${String(v)}`])

export const TOOLS: ServerTool[] = [
  {
    name: 'status',
    description: 'Active plan, newest checkpoint, latest session.',
    readOnly: true,
    input: z.strictObject({}),
    argv: () => ['log'],
  },
  {
    name: 'log',
    description: 'Plans, checkpoints and sessions, newest first.',
    readOnly: true,
    input: z.strictObject({n: z.number().int().min(1).max(1000).optional().describe('max entries (20)'), kind: z.enum(['plan', 'checkpoint', 'session']).optional()}),
    argv: (a) => ['log', `--number=${Number(a.n ?? 20)}`, ...value('kind', a.kind)],
  },
  {
    name: 'plan_show',
    description: 'A plan (default: the active one): steps, approvals, checks.',
    readOnly: true,
    input: z.strictObject({plan: id.optional()}),
    argv: (a) => ['plan', 'show', ...value('plan', a.plan)],
  },
  {
    name: 'diff',
    description: 'Changes since a checkpoint (default: the newest).',
    readOnly: true,
    input: z.strictObject({checkpoint: checkpoint.optional(), stat: z.boolean().optional().describe('files only')}),
    argv: (a) => ['diff', ...flag('stat', a.stat), ...(a.checkpoint === undefined ? [] : ['--', String(a.checkpoint)])],
  },
  {
    name: 'session_list',
    description: 'Sessions, the one continue resumes first.',
    readOnly: true,
    input: z.strictObject({}),
    argv: () => ['session', 'list'],
  },
  {
    name: 'run',
    description: 'Run the coding agent on a task; checkpointed first, undo restores.',
    readOnly: false,
    input: z.strictObject({task, continue: z.boolean().optional().describe('continue latest session'), session: id.optional().describe('continue this session'), quick: z.boolean().optional().describe('one call, small fix')}),
    argv: (a) => ['run', ...flag('continue', a.continue), ...value('session', a.session), ...flag('quick', a.quick), '--', String(a.task)],
  },
  {
    name: 'plan',
    description: 'Plan a task as steps (made active; the user approves steps).',
    readOnly: false,
    input: z.strictObject({task}),
    argv: (a) => ['plan', '--', String(a.task)],
  },
  {
    name: 'step',
    description: 'Run the next approved step of the active plan.',
    readOnly: false,
    input: z.strictObject({n: z.number().int().min(1).max(1000).optional().describe('this step'), all: z.boolean().optional().describe('every approved step'), plan: id.optional()}),
    argv: (a) => ['step', ...flag('all', a.all), ...value('plan', a.plan), ...(a.n === undefined ? [] : ['--', String(a.n)])],
  },
  {
    name: 'undo',
    description: 'Restore the newest checkpoint, undoing the run or step after it.',
    readOnly: false,
    input: z.strictObject({}),
    argv: () => ['undo'],
  },
  {
    name: 'redo',
    description: 'Bring back what the last undo took away.',
    readOnly: false,
    input: z.strictObject({}),
    argv: () => ['redo'],
  },
]

/**
 * A tool's input schema as the client's model reads it: types, enums, descriptions and what is required. The
 * patterns, bounds and closed-object rule are enforced on every call (a call that breaks one gets a tool error naming
 * it), so they are left out of the listing, where they would cost tokens on every request.
 */
export function leanSchema(input: z.ZodObject): Record<string, unknown> {
  const {$schema: _s, additionalProperties: _a, properties, ...rest} = z.toJSONSchema(input, {io: 'input', target: 'draft-7'}) as Record<string, unknown>
  const props = Object.entries((properties ?? {}) as Record<string, Record<string, unknown>>).map(([k, v]) => {
    const {pattern: _p, minLength: _l, maxLength: _m, minimum: _n, maximum: _x, ...kept} = v
    return [k, kept] as const
  })
  return props.length ? {...rest, properties: Object.fromEntries(props)} : rest
}
